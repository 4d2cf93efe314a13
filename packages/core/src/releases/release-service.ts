/**
 * `conifer.releases`: the release workflow of issue 14 behind one facade — publish policies,
 * change requests and their review, publishing a change as one multi, the releases list, release
 * rollback, scheduled publish and the reconcile of publish claims. The parts live in the files beside this one.
 */
import type { ChangeRecord, ReleaseRecord, ReleaseStatus } from "@conifer/history";
import { authorize, can } from "../auth/authz.ts";
import type { BackendLink } from "../backend-link.ts";
import { ConfigError } from "../errors.ts";
import type { HistoryPort } from "../history-port.ts";
import type { HistoryRecorder } from "../history-recorder.ts";
import type { GrayEntry } from "../gray/gray-record.ts";
import { GrayService } from "../gray/gray-service.ts";
import { GrayView } from "../gray/gray-view.ts";
import type { Logger } from "../logger.ts";
import { checkPath } from "../paths.ts";
import type { Caller } from "./caller.ts";
import type { ChangeListener } from "./change-events.ts";
import { ChangeSignal } from "./change-signal.ts";
import { ChangeService } from "./changes.ts";
import { PolicyService } from "./policies.ts";
import { promoteAsChange, type PromoteRequest } from "./promote.ts";
import { Publisher } from "./publish.ts";
import { reconcileClaims } from "./reconcile.ts";
import { ReleaseWriter, type GrayGuard } from "./release-writer.ts";
import { rollbackRelease } from "./rollback.ts";
import { Scheduler, type TickReport } from "./schedule.ts";

export interface ReleaseServiceOptions {
  serverId: string;
  sharedBackend: boolean;
  /** how old another server's publish claim must be before it is taken for a crash (shared backend) */
  claimGraceMs: number;
  /** the scheduler's clock (tests set it) */
  now?: () => number;
  /** this server's view of the gray releases, and how its own gray writes are noted (issue 16) */
  gray?: { view: GrayView; note: (id: string, entry: GrayEntry | null) => void };
}

export class ReleaseService {
  readonly policies: PolicyService;
  readonly changes: ChangeService;
  /** carries every change action to every server sharing the backend (change-signal.ts) */
  readonly signal: ChangeSignal;
  /** gray releases: start, retarget, abort, promote (issue 16) */
  readonly gray: GrayService;
  private readonly writer: ReleaseWriter;
  private readonly publisher: Publisher;
  private readonly scheduler: Scheduler;

  constructor(
    private readonly history: HistoryPort,
    private readonly link: BackendLink,
    recorder: HistoryRecorder,
    private readonly log: Logger,
    private readonly opts: ReleaseServiceOptions,
  ) {
    this.policies = new PolicyService(history.releases, history);
    this.changes = new ChangeService(history.releases, history, link, log);
    this.signal = new ChangeSignal(link, history.releases, this.changes.events, log);
    const view = opts.gray?.view ?? new GrayView();
    const guard: GrayGuard = (paths, grayId) => view.refuse(paths, grayId);
    this.writer = new ReleaseWriter(link, history, recorder, log, guard);
    this.publisher = new Publisher(history.releases, history, this.changes, this.writer, opts.serverId, log, guard);
    this.gray = new GrayService({
      link,
      view,
      note: opts.gray?.note ?? ((id, entry) => view.set(id, entry)),
      history,
      store: history.releases,
      publisher: this.publisher,
      changes: this.changes,
      log,
    });
    this.scheduler = new Scheduler({
      store: history.releases,
      history,
      changes: this.changes,
      publisher: this.publisher,
      log,
      now: opts.now ?? Date.now,
      reconcile: () => this.reconcile(),
    });
  }

  /** Sets the time an approved change publishes at (publish rights on every key). */
  schedule(caller: Caller, changeId: string, at: number): Promise<ChangeRecord> {
    return this.scheduler.schedule(caller, changeId, at);
  }

  /** Cancels a scheduled publish before it fires. */
  unschedule(caller: Caller, changeId: string): Promise<ChangeRecord> {
    return this.scheduler.cancel(caller, changeId);
  }

  /** One scheduler round (every server runs it periodically): settle dead claims, fire what is due. */
  tick(): Promise<TickReport> {
    return this.scheduler.tick();
  }

  /** Every change request action stored by any server sharing the backend (the gateway pushes them live). */
  onChange(listener: ChangeListener): () => void {
    return this.changes.events.listen(listener);
  }

  /** Publishes an approved change as one release (CONFLICT naming the moved keys: nothing written). */
  publish(caller: Caller, changeId: string): Promise<ReleaseRecord> {
    return this.publisher.publishChange(caller, changeId);
  }

  /** Selected keys or fields of one prefix proposed onto another as a draft change (promote.ts). */
  promote(caller: Caller, req: PromoteRequest) {
    return promoteAsChange(this.link, this.changes, caller, req);
  }

  /** A new release restoring every key of release `id` (CONFLICT naming keys moved since). */
  rollback(caller: Caller, id: string, message?: string): Promise<ReleaseRecord> {
    const { history, publisher, writer, log } = this;
    return rollbackRelease({ store: history.releases, history, publisher, writer, log }, caller, id, message);
  }

  async get(caller: Caller, id: string): Promise<ReleaseRecord> {
    const r = await this.history.releases.getRelease(id);
    if (!r) throw new ConfigError("NOT_FOUND", `No release ${id}`, { id });
    // the parents a release created are on the way to its keys, not keys of its own
    for (const i of r.items) if (!i.parent) authorize(caller.principal, "read", i.path);
    return r;
  }

  /** Newest first, only releases whose every key the caller may read. */
  async list(caller: Caller, q: { under?: string; status?: ReleaseStatus; limit?: number } = {}) {
    if (q.under) checkPath(q.under);
    authorize(caller.principal, "read", q.under ?? "/");
    const all = await this.history.releases.listReleases(q);
    return all.filter((r) => r.items.every((i) => i.parent || can(caller.principal, "read", i.path)));
  }

  /**
   * Settles publish claims of dead servers and releases left pending (reconcile.ts); run after
   * the history reconcile. `atStart`: nothing of this process can be in flight yet.
   */
  reconcile(atStart = false) {
    return reconcileClaims(
      {
        store: this.history.releases,
        history: this.history,
        link: this.link,
        log: this.log,
        serverId: this.opts.serverId,
        inFlight: this.publisher.inFlight,
        sharedBackend: this.opts.sharedBackend,
        graceMs: this.opts.claimGraceMs,
        announce: (id, action) => this.changes.announce(id, action),
      },
      atStart,
    );
  }
}
