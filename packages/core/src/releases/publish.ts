/**
 * Publishing (issue 14). A change is published as ONE conditional multi (release-writer.ts): every
 * key changes, or none does and the change becomes `conflicted` naming the keys that moved.
 * Crash safety: the publishing server first claims the change (status `publishing`, claimedBy),
 * then records a pending Release, then one intent per key, then the multi. A server that dies
 * anywhere in between leaves a claim that reconcile.ts settles from what the backend shows.
 */
import type { ChangeRecord, ReleaseInput, ReleaseItemRecord, ReleaseRecord, ReleaseStore } from "@conifer/history";
import { authorize } from "../auth/authz.ts";
import type { WriteMeta } from "../config-writer.ts";
import { ConfigError } from "../errors.ts";
import type { HistoryPort } from "../history-port.ts";
import type { Logger } from "../logger.ts";
import { auditAction, type Caller } from "./caller.ts";
import type { ChangeService } from "./changes.ts";
import {
  parentItem,
  validateItems,
  type ApplyExtras,
  type GrayGuard,
  type MultiItem,
  type ReleaseWriter,
} from "./release-writer.ts";

export class Publisher {
  /** changes this process is publishing right now: reconcile leaves their claims alone */
  readonly inFlight = new Set<string>();

  constructor(
    private readonly store: ReleaseStore,
    private readonly history: HistoryPort,
    private readonly changes: ChangeService,
    private readonly writer: ReleaseWriter,
    private readonly serverId: string,
    private readonly log: Logger,
    private readonly grayGuard: GrayGuard = () => {},
  ) {}

  /**
   * `dueBy`: a scheduled publish (schedule.ts) fired at that time: the caller is the user who
   * scheduled it, who needs publish rights whatever the policy, and the claim only succeeds while
   * the change is still scheduled at or before `dueBy` (cancelled or edited since: no claim).
   */
  async publishChange(caller: Caller, id: string, opts: { dueBy?: number } = {}): Promise<ReleaseRecord> {
    const change = await this.changes.load(caller, id, "read");
    const state = await this.changes.approvals(change);
    // under `direct` everywhere a change is published as a save would be: editors may
    const right = state.required > 0 || opts.dueBy !== undefined ? "publish" : "write";
    for (const i of change.items) authorize(caller.principal, right, i.path);
    if (change.status !== "approved")
      throw new ConfigError("CONFLICT", `Change ${id} is ${change.status}, not approved: it cannot be published`, {
        conflicts: [],
        changeId: id,
      });
    if (!state.met)
      throw new ConfigError(
        "FORBIDDEN",
        `Change ${id} has ${state.approvers.length} of ${state.required} approval(s) for revision ${change.revision}`,
        { action: "publish" },
      );
    validateItems(change.items, this.writer.maxDataBytes);
    // refused before the claim, so a key in a gray release leaves the change approved as it was
    this.grayGuard(change.items.map((i) => i.path));
    const claimed = await this.store.transition(id, {
      from: ["approved"],
      to: "publishing",
      ...(opts.dueBy !== undefined ? { scheduledBefore: opts.dueBy } : {}),
      set: { claimedBy: this.serverId, claimedAt: Date.now() },
    });
    if (!claimed) throw changedMeanwhile(id);
    this.inFlight.add(id);
    try {
      // what is published is what the claim froze: an edit that landed between the read and
      // the claim is either a rebase (same revision: its new bases are the right ones) or a new
      // revision these approvals were not given for
      const frozen = await this.store.getChange(id);
      if (frozen?.revision !== change.revision) {
        await this.unclaim(id);
        throw changedMeanwhile(id);
      }
      return await this.publishClaimed(caller, frozen, state.approvers);
    } finally {
      this.inFlight.delete(id);
    }
  }

  private unclaim(id: string): Promise<boolean> {
    return this.store.transition(id, {
      from: ["publishing"],
      claimedBy: this.serverId,
      to: "approved",
      set: { claimedBy: null, claimedAt: null },
    });
  }

  private async publishClaimed(caller: Caller, change: ChangeRecord, approvers: string[]): Promise<ReleaseRecord> {
    const mine = { from: ["publishing" as const], claimedBy: this.serverId };
    let release: ReleaseRecord;
    try {
      // the parents the multi will create are in the record from the start, for the reconcile
      const parents = await this.writer.missingParents(change.items);
      release = await this.store.createRelease(releaseOf(change, caller.actor.author, approvers, parents));
      await this.store.transition(change.id, { ...mine, set: { releaseId: release.id } });
    } catch (err) {
      // nothing was sent: the change is publishable again
      await this.unclaim(change.id);
      throw err;
    }
    // the rows name the change's author (who wrote the content); the release and audit say who published
    const outcome = await this.execute(caller, release, change.items, change.title, { author: change.author });
    if (!outcome.ok) {
      await this.store.transition(change.id, {
        ...mine,
        to: "conflicted",
        set: { conflicts: outcome.conflicts, claimedBy: null, claimedAt: null, releaseId: null },
      });
      await this.audit(caller, "change.conflicted", change, `keys moved: ${outcome.conflicts.join(", ")}`);
      await this.changes.announce(change.id, "conflicted");
      throw new ConfigError(
        "CONFLICT",
        `Nothing was published: ${outcome.conflicts.length} key(s) changed since the draft began: ${outcome.conflicts.join(", ")}`,
        { conflicts: outcome.conflicts, changeId: change.id },
      );
    }
    await this.store.transition(change.id, {
      ...mine,
      to: "published",
      set: { claimedBy: null, claimedAt: null, releaseId: release.id },
    });
    await this.audit(caller, "change.publish", change, `release ${release.id} at zxid ${String(outcome.release.zxid)}`);
    await this.changes.announce(change.id, "publish");
    return outcome.release;
  }

  /**
   * Sends the release's multi and finishes its record: published (versions to, zxid) or failed
   * (conflict, or refused). An unknown outcome leaves it pending for the reconcile.
   */
  async execute(
    caller: Caller,
    release: ReleaseRecord,
    items: readonly MultiItem[],
    message: string,
    /** the change's author for a reviewed publish; `rollback` as history source for a release rollback */
    as: { author?: string; source?: WriteMeta["source"] } & ApplyExtras = {},
  ): Promise<{ ok: true; release: ReleaseRecord } | { ok: false; conflicts: string[] }> {
    let outcome: Awaited<ReturnType<ReleaseWriter["apply"]>>;
    try {
      outcome = await this.writer.apply(
        items,
        {
          actor: { ...caller.actor, author: as.author ?? caller.actor.author },
          message: message || `Release ${release.id}`,
          source: as.source ?? caller.actor.source,
          releaseId: release.id,
        },
        { extraOps: as.extraOps, grayId: as.grayId },
      );
    } catch (err) {
      if (!(ConfigError.is(err) && err.details.outcome === "unknown"))
        await this.store.finishRelease(release.id, { status: "failed" }).catch((e: unknown) => {
          this.log.error(`release ${release.id} not marked failed`, e);
        });
      throw err;
    }
    if (!outcome.ok) {
      await this.store.finishRelease(release.id, { status: "failed" });
      return outcome;
    }
    // the parents as the multi found them (another writer may have created one meanwhile)
    const published = release.items
      .filter((i) => !i.parent)
      .map((i) => ({ ...i, toVersion: outcome.toVersions.get(i.path) ?? null }))
      .concat(outcome.parents.map(parentItem));
    try {
      await this.store.finishRelease(release.id, { status: "published", zxid: outcome.zxid, items: published });
    } catch (err) {
      // live already; the reconcile finishes the record from the intents' rows
      this.log.error(`release ${release.id} published at zxid ${String(outcome.zxid)} but not recorded as such`, err);
    }
    return {
      ok: true,
      release: { ...release, status: "published", zxid: outcome.zxid.toString(), items: published },
    };
  }

  private audit(caller: Caller, action: string, change: ChangeRecord, detail: string): Promise<void> {
    const what = `change ${change.id} "${change.title}": ${detail}`;
    return auditAction(this.history, caller, action, change.items[0]?.path, what, this.log);
  }
}

function changedMeanwhile(id: string): ConfigError {
  return new ConfigError("CONFLICT", `Change ${id} is being published or was changed meanwhile`, {
    conflicts: [],
    changeId: id,
  });
}

function releaseOf(change: ChangeRecord, publishedBy: string, approvers: string[], parents: string[]): ReleaseInput {
  return {
    changeId: change.id,
    title: change.title,
    message: change.message,
    authors: [change.author],
    approvers,
    publishedBy,
    rollbackOf: null,
    items: change.items
      .map((i): ReleaseItemRecord => ({
        path: i.path,
        op: i.op,
        fromVersion: i.baseVersion,
        toVersion: null,
        fromContent: i.baseContent,
        fromEncoding: i.baseEncoding ?? "utf8",
        toContent: i.content,
      }))
      .concat(parents.map((path) => ({ ...parentItem({ path, op: "create" }), toVersion: null }))),
  };
}
