/**
 * Scheduled publish (issue 14, item 9). An approved change may be set to publish at a time, and
 * the schedule cancelled before it fires. Every server runs the scheduler's `tick`: it settles
 * publish claims of dead servers (reconcile.ts) and fires the changes that are due through the
 * one publish path, acting for the user who scheduled it with that user's rights as they are at
 * fire time. Exactly one server fires a change: the claim is a conditional update that only
 * succeeds while the change is approved and still scheduled at or before now. A server dying
 * after its claim leaves a claim the reconcile settles: published when the multi landed, else
 * approved again, still scheduled, and the next tick fires it (neither lost nor doubled).
 * Editing the content drops the schedule (the store does it with the new revision).
 */
import type { ChangeRecord, ReleaseRecord, ReleaseStore } from "@conifer/history";
import { userPrincipal } from "../auth/auth-service.ts";
import { ConfigError, toConfigError } from "../errors.ts";
import type { HistoryPort } from "../history-port.ts";
import type { Logger } from "../logger.ts";
import { auditAction, type Caller } from "./caller.ts";
import type { ChangeService } from "./changes.ts";
import type { Publisher } from "./publish.ts";

/** how far ahead a publish may be scheduled */
export const MAX_SCHEDULE_AHEAD_MS = 366 * 24 * 3600_000;
/** "scheduled at any time" in a conditional update (a date both databases hold) */
const END_OF_TIME = Date.UTC(9999, 0, 1);

/** Failures that will not go away by themselves: the schedule is dropped and the failure audited. */
const FINAL = new Set(["FORBIDDEN", "UNAUTHENTICATED", "CONFLICT", "INVALID_CONTENT", "TOO_LARGE", "NOT_FOUND"]);

export interface SchedulerDeps {
  store: ReleaseStore;
  history: HistoryPort;
  changes: ChangeService;
  publisher: Publisher;
  log: Logger;
  now: () => number;
  /** settles publish claims of dead servers before due changes are fired */
  reconcile: () => Promise<unknown>;
}

export interface TickReport {
  fired: { changeId: string; releaseId: string }[];
  failed: { changeId: string; reason: string }[];
}

export class Scheduler {
  constructor(private readonly deps: SchedulerDeps) {}

  /** Sets (or moves) the time an approved change publishes; needs publish rights on every key. */
  async schedule(caller: Caller, id: string, at: number): Promise<ChangeRecord> {
    const { changes, store, now } = this.deps;
    const change = await changes.load(caller, id, "publish");
    if (!Number.isFinite(at) || at <= now() || at > now() + MAX_SCHEDULE_AHEAD_MS)
      throw new ConfigError("INVALID_INPUT", "A publish is scheduled in the future, at most a year ahead", { id });
    if (change.status !== "approved") this.refuse(change, "scheduled");
    const state = await changes.approvals(change);
    if (!state.met)
      throw new ConfigError(
        "FORBIDDEN",
        `Change ${id} has ${state.approvers.length} of ${state.required} approval(s): it cannot be scheduled`,
        { action: "publish" },
      );
    const set = { scheduledAt: at, scheduledBy: caller.actor.author };
    if (!(await store.transition(id, { from: ["approved"], set }))) this.refuse(change, "scheduled");
    await this.audit(caller, "change.schedule", change, `publish at ${new Date(at).toISOString()}`);
    await changes.announce(id, "schedule");
    return changes.load(caller, id, "read");
  }

  /** Cancels a scheduled publish that has not fired; needs publish rights on every key. */
  async cancel(caller: Caller, id: string): Promise<ChangeRecord> {
    const { changes, store } = this.deps;
    const change = await changes.load(caller, id, "publish");
    const cleared = await store.transition(id, {
      from: ["approved"],
      scheduledBefore: END_OF_TIME,
      set: { scheduledAt: null, scheduledBy: null },
    });
    if (!cleared)
      throw new ConfigError(
        "CONFLICT",
        change.scheduledAt === null
          ? `Change ${id} is not scheduled`
          : `Change ${id} is ${change.status}: its scheduled publish can no longer be cancelled`,
        { conflicts: [], changeId: id },
      );
    const when = change.scheduledAt === null ? "" : ` (was ${new Date(change.scheduledAt).toISOString()})`;
    await this.audit(caller, "change.unschedule", change, `scheduled publish cancelled${when}`);
    await changes.announce(id, "unschedule");
    return changes.load(caller, id, "read");
  }

  /** One round: settle dead servers' claims, then fire every change that is due. */
  async tick(): Promise<TickReport> {
    const out: TickReport = { fired: [], failed: [] };
    await this.deps.reconcile().catch((err: unknown) => this.deps.log.error("scheduler: reconcile failed", err));
    const now = this.deps.now();
    for (const change of await this.deps.store.dueScheduled(now)) {
      const r = await this.fire(change, now);
      if (r && "releaseId" in r) out.fired.push(r);
      else if (r) out.failed.push(r);
    }
    return out;
  }

  private async fire(
    change: ChangeRecord,
    now: number,
  ): Promise<{ changeId: string; releaseId: string } | { changeId: string; reason: string } | null> {
    const { log } = this.deps;
    const by = change.scheduledBy ?? change.author;
    let release: ReleaseRecord;
    try {
      const caller = await this.actingFor(by);
      release = await this.deps.publisher.publishChange(caller, change.id, { dueBy: now });
    } catch (err) {
      const e = toConfigError(err);
      // another server claimed it first, or it was cancelled or edited meanwhile: not ours to report
      if (e.code === "CONFLICT" && "conflicts" in e.details && e.details.conflicts.length === 0) return null;
      if (!FINAL.has(e.code)) {
        // backend or database trouble: the schedule stays, a later tick (or the reconcile) retries
        log.error(`scheduled publish of change ${change.id} did not run; retrying`, err);
        return null;
      }
      const reason = e.code === "CONFLICT" ? `conflict: ${e.message}` : `${e.code}: ${e.message}`;
      await this.deps.store
        .transition(change.id, {
          from: ["approved", "conflicted", "in_review"],
          set: { scheduledAt: null, scheduledBy: null },
        })
        .catch((x: unknown) => log.error(`schedule of change ${change.id} not cleared`, x));
      await this.systemAudit(by, "change.schedule_failed", change, reason);
      // the author and reviewers hear of it on every server (a fire that worked is the publish's own announcement)
      await this.deps.changes.announce(change.id, "schedule_failed");
      return { changeId: change.id, reason };
    }
    await this.systemAudit(
      by,
      "change.schedule_fired",
      change,
      `release ${release.id} at zxid ${String(release.zxid)}`,
    );
    return { changeId: change.id, releaseId: release.id };
  }

  /** The scheduling user as they are now (FORBIDDEN when gone or disabled). */
  private async actingFor(name: string): Promise<Caller> {
    const accounts = this.deps.history.accounts;
    const user = await accounts.userByName(name);
    if (!user || user.disabled)
      throw new ConfigError("FORBIDDEN", `user ${name} who scheduled it is ${user ? "disabled" : "gone"}`, {
        action: "publish",
      });
    const principal = await userPrincipal(accounts, user, "");
    // its writes are the scheduler's, not an API client's: history and audit say "schedule"
    return { principal, actor: { author: name, source: "schedule" } };
  }

  private refuse(change: ChangeRecord, what: string): never {
    throw new ConfigError("CONFLICT", `Change ${change.id} is ${change.status}, not approved: it cannot be ${what}`, {
      conflicts: [],
      changeId: change.id,
    });
  }

  private audit(caller: Caller, action: string, change: ChangeRecord, detail: string): Promise<void> {
    const what = `change ${change.id} "${change.title}": ${detail}`;
    return auditAction(this.deps.history, caller, action, change.items[0]?.path, what, this.deps.log);
  }

  /** what the scheduler did for `actor`, recorded as a system action */
  private async systemAudit(actor: string, action: string, change: ChangeRecord, detail: string): Promise<void> {
    const what = `change ${change.id} "${change.title}": ${detail}`;
    await this.deps.history
      .audit({ actor, action, path: change.items[0]?.path, detail: what, source: "system" })
      .catch((err: unknown) => this.deps.log.error(`audit row for ${action} not written`, err));
  }
}
