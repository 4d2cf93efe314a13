/**
 * Settling publish claims left by a dead server (issue 14, item 7), run at start and after the
 * backend session comes back, after the history reconcile has recorded what landed. A claim is
 * settled when this process is not publishing it and its server cannot be alive: with a private
 * backend (the embedded engine) any other server id is a previous run; with a shared one, the
 * claim must be older than the grace period. The multi is all-or-nothing, so one look at the keys
 * decides: landed (a history row of the release, or every key exactly as the release leaves it)
 * → finish the release, audit the publish (the dead server could not); otherwise → the change is
 * `approved` again and publishable, and the release's write intents are closed, so an observer
 * never takes them for the change's next publish. Several servers may settle one claim at once:
 * each step is conditional (the release finished while pending, the change moved from its claim)
 * and only the server that moved the change audits. Releases without a change (direct saves,
 * rollbacks) left pending are settled the same way.
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
  /** tells this server's sockets of a settled change (best effort) */
  announce?: (changeId: string, action: string) => Promise<void>;
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
    if (release.status !== "published") {
      const { zxid, items } = landed;
      await deps.store.finishRelease(release.id, { status: "published", zxid, items, ifPending: true });
    }
    const won = await deps.store.transition(change.id, {
      ...claim,
      to: "published",
      set: { claimedBy: null, claimedAt: null, releaseId: release.id },
    });
    if (!won) return "skipped";
    await auditSettled(deps, change, release, landed.zxid);
    await deps.announce?.(change.id, "publish");
    return "published";
  }
  if (release) {
    if (release.status === "pending") await deps.store.finishRelease(release.id, { status: "failed", ifPending: true });
    await closeIntents(deps, release.id);
  }
  const won = await deps.store.transition(change.id, {
    ...claim,
    to: "approved",
    set: { claimedBy: null, claimedAt: null, releaseId: null },
  });
  if (won) await deps.announce?.(change.id, "unclaimed");
  return won ? "approved" : "skipped";
}

/**
 * The audit rows the dead server did not write, done by the system: the publish, by whoever
 * published, and, when the claim was the scheduler's (made once the change was due), the fire.
 */
async function auditSettled(deps: ReconcileDeps, change: ChangeRecord, release: ReleaseRecord, zxid: bigint | null) {
  const what = `change ${change.id} "${change.title}": release ${release.id} at zxid ${String(zxid)}`;
  const rows = [{ actor: release.publishedBy, action: "change.publish" }];
  const { scheduledAt, scheduledBy, claimedAt } = change;
  if (scheduledAt !== null && claimedAt !== null && scheduledAt <= claimedAt)
    rows.push({ actor: scheduledBy ?? release.publishedBy, action: "change.schedule_fired" });
  for (const { actor, action } of rows)
    await deps.history
      .audit({
        actor,
        action,
        path: change.items[0]?.path,
        detail: `${what} (settled after server ${String(change.claimedBy)} stopped)`,
        source: "system",
      })
      .catch((err: unknown) => deps.log.error(`audit row for ${action} of change ${change.id} not written`, err));
}

/** A multi that never landed: its intents explain nothing (the recorder would close them only at its next start). */
async function closeIntents(deps: ReconcileDeps, releaseId: string): Promise<void> {
  for (const intent of await deps.history.pendingIntents()) {
    if (intent.releaseId !== releaseId) continue;
    await deps.history.completeIntent(intent.id, { outcome: "failed" });
  }
}

/**
 * A release without a change (a direct save, a release rollback) left pending by a crash or a
 * lost answer: published when its keys show it landed, else failed. Old enough only (or every one
 * at the start of a server with a private backend): a young one may still be in flight.
 */
async function settleOrphans(deps: ReconcileDeps, atStart: boolean, out: { published: string[]; failed: string[] }) {
  const now = Date.now();
  for (const release of await deps.store.listReleases({ status: "pending", limit: 100 })) {
    if (release.changeId !== null) continue; // settled with its change's claim
    if (!(atStart && !deps.sharedBackend) && now - release.createdAt < deps.graceMs) continue;
    try {
      const found = await Promise.all(release.items.map((i) => landedItem(deps, release, i)));
      if (found.length > 0 && found.every((x) => x !== null)) {
        const zxid = found.find((x) => x.zxid !== null)?.zxid ?? null;
        const items = release.items.map((i, n) => ({ ...i, toVersion: found[n]?.toVersion ?? null }));
        // another server settling it at the same time: one of the two reports it
        if (await deps.store.finishRelease(release.id, { status: "published", zxid, items, ifPending: true }))
          out.published.push(release.id);
      } else if (await deps.store.finishRelease(release.id, { status: "failed", ifPending: true })) {
        out.failed.push(release.id);
      }
    } catch (err) {
      deps.log.error(`could not settle pending release ${release.id}`, err);
    }
  }
}

export interface ReconcileReport {
  /** changes whose claim was settled as published / returned to approved */
  published: string[];
  approved: string[];
  /** releases without a change (direct saves, rollbacks) settled */
  releases: { published: string[]; failed: string[] };
}

export async function reconcileClaims(deps: ReconcileDeps, atStart = false): Promise<ReconcileReport> {
  const out: ReconcileReport = { published: [], approved: [], releases: { published: [], failed: [] } };
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
  await settleOrphans(deps, atStart, out.releases);
  return out;
}
