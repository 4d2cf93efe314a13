/**
 * Settling publish claims left by a dead server (issue 14, item 7), run at start and after the
 * backend session comes back, after the history reconcile has recorded what landed. A claim is
 * settled when this process is not publishing it and its server cannot be alive: with a private
 * backend (the embedded engine) any other server id is a previous run; with a shared one, the
 * claim must be older than the grace period. The multi is all-or-nothing, so one look at the keys
 * decides: landed (a history row of the release, or every key exactly as the release leaves it)
 * → finish the release; otherwise → the change is `approved` again and publishable.
 */
import type { ChangeRecord, ReleaseItemRecord, ReleaseRecord, ReleaseStore } from "@conifer/history";
import type { BackendLink } from "../backend-link.ts";
import { hashText } from "../content.ts";
import type { HistoryPort } from "../history-port.ts";
import type { Logger } from "../logger.ts";
import { readLive } from "./drafts.ts";

export interface ReconcileDeps {
  store: ReleaseStore;
  history: HistoryPort;
  link: BackendLink;
  log: Logger;
  serverId: string;
  inFlight: ReadonlySet<string>;
  sharedBackend: boolean;
  graceMs: number;
}

/** The key after the release, if it landed: its version, and the zxid when the key shows it. */
async function landedItem(
  deps: ReconcileDeps,
  release: ReleaseRecord,
  i: ReleaseItemRecord,
): Promise<{ toVersion: number; zxid: bigint | null } | null> {
  const rows = (await deps.history.list(i.path, { limit: 20 })).items;
  const row = rows.find((r) => r.releaseId === release.id);
  if (row) return { toVersion: row.version, zxid: row.op === "delete" ? null : BigInt(row.mzxid) };
  if (i.op === "delete")
    return (await deps.link.session.exists(i.path)) === null ? { toVersion: i.fromVersion, zxid: null } : null;
  const live = await readLive(deps.link, i.path);
  const version = i.op === "create" ? 0 : i.fromVersion + 1;
  if (!live || live.version !== version || hashText(live.content) !== hashText(i.toContent)) return null;
  const stat = await deps.link.session.exists(i.path);
  return { toVersion: version, zxid: stat?.mzxid ?? null };
}

async function settle(deps: ReconcileDeps, change: ChangeRecord): Promise<"published" | "approved" | "skipped"> {
  const claim = { from: ["publishing" as const], claimedBy: change.claimedBy };
  const release = change.releaseId ? await deps.store.getRelease(change.releaseId) : null;
  let landed: { items: ReleaseItemRecord[]; zxid: bigint | null } | null = null;
  if (release?.status === "published")
    landed = { items: release.items, zxid: release.zxid ? BigInt(release.zxid) : null };
  else if (release && release.status === "pending") {
    const found = await Promise.all(release.items.map((i) => landedItem(deps, release, i)));
    // the multi is all or nothing: every key as the release leaves it (or its row there) = landed
    if (found.length > 0 && found.every((x) => x !== null)) {
      const zxid = found.find((x) => x.zxid !== null)?.zxid ?? null;
      landed = { items: release.items.map((i, n) => ({ ...i, toVersion: found[n]?.toVersion ?? null })), zxid };
    }
  }
  if (landed && release) {
    if (release.status !== "published")
      await deps.store.finishRelease(release.id, { status: "published", zxid: landed.zxid, items: landed.items });
    const won = await deps.store.transition(change.id, {
      ...claim,
      to: "published",
      set: { claimedBy: null, claimedAt: null, releaseId: release.id },
    });
    return won ? "published" : "skipped";
  }
  if (release && release.status === "pending") await deps.store.finishRelease(release.id, { status: "failed" });
  const won = await deps.store.transition(change.id, {
    ...claim,
    to: "approved",
    set: { claimedBy: null, claimedAt: null, releaseId: null },
  });
  return won ? "approved" : "skipped";
}

export async function reconcileClaims(deps: ReconcileDeps): Promise<{ published: string[]; approved: string[] }> {
  const out = { published: [] as string[], approved: [] as string[] };
  const now = Date.now();
  for (const change of await deps.store.listChanges({ statuses: ["publishing"] })) {
    if (deps.inFlight.has(change.id)) continue;
    const ours = change.claimedBy === deps.serverId;
    const stale = !deps.sharedBackend || now - (change.claimedAt ?? 0) >= deps.graceMs;
    if (!ours && !stale) continue;
    try {
      const r = await settle(deps, change);
      if (r !== "skipped") out[r].push(change.id);
      if (r !== "skipped") deps.log.info(`change ${change.id} claimed by ${String(change.claimedBy)}: settled as ${r}`);
    } catch (err) {
      deps.log.error(`could not settle the publish claim of change ${change.id}`, err);
    }
  }
  return out;
}
