/**
 * The ONE writer of history rows. Two kinds of change reach it:
 *   - this process's own writes: the writer hands over what it applied and at which zxid (the
 *     backend's answer), and awaits "recorded" (`recordOwn`): one row, its intent completed with it;
 *   - changes it only observes: a node's state as read after a backend event or during a
 *     reconcile (another ZooKeeper client, another server, a write whose row was lost in a
 *     crash). It records a row unless one exists for that mzxid; a pending write intent with the
 *     same path and content hash supplies the real author, otherwise the change is "external".
 *     A fresh intent of ANOTHER server process is given a grace period to finish its own row
 *     first (several servers may share one backend and one database).
 * Which writes are this process's own, in flight, it tracks itself (write-tracker.ts).
 */
import { baseName, joinPath, parentOf, type Stat } from "@conifer/coordinator";
import type { BackendLink } from "./backend-link.ts";
import { decodeData, hashBytes, hashText } from "./content.ts";
import { isSequentialName } from "./dto.ts";
import type { HistoryPort, RecordInput, WriteIntent } from "./history-port.ts";
import type { Logger } from "./logger.ts";
import { isSystemPath } from "./paths.ts";
import { WriteTracker, type TrackedWrite } from "./write-tracker.ts";

export type NodeState =
  | { path: string; exists: true; data: Buffer; stat: Stat }
  | { path: string; exists: false; /** zxid of the delete when known, else 0n */ zxid: bigint };

export const EXTERNAL_AUTHOR = "external";

/** What `recordOwn` tells the writer: recorded, or why not (the intent then stays pending). */
export type RecordOutcome = { recorded: true } | { recorded: false; reason: string };

export interface RecorderOptions {
  /** how long a foreign intent may take to get its own history row */
  graceMs: number;
  /** false when no other server process can share the backend (embedded engine) */
  sharedBackend: boolean;
  /** how long a writer waits for its row before it is told "not recorded"; default 10 s */
  recordTimeoutMs?: number;
}

export class HistoryRecorder {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly tracker = new WriteTracker();
  private stopped = false;
  private deferredCount = 0;

  constructor(
    private readonly history: HistoryPort,
    private readonly log: Logger,
    private readonly opts: RecorderOptions,
  ) {}

  /**
   * Runs one write of this process. Until it returns, `observe` of its paths waits for it (so
   * the backend event of our own write is not taken for an external change) and a reconcile
   * leaves the intents it holds alone.
   */
  ownWrite<T>(paths: readonly string[], work: (write: TrackedWrite) => Promise<T>): Promise<T> {
    return this.tracker.run(paths, work);
  }

  /**
   * Records the row of a write this process applied (`row.mzxid` is the zxid the backend
   * answered) and completes its intent in the same store call. Bounded by `recordTimeoutMs`:
   * a history store that fails or hangs must not hold the publish, whose change is live already.
   * When not recorded, the intent stays pending and the change is recorded later, attributed to
   * its author, from the change feed's event or the next reconcile. Never throws.
   */
  async recordOwn(intentId: string, row: RecordInput): Promise<RecordOutcome> {
    const boundMs = this.opts.recordTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<RecordOutcome>((resolve) => {
      timer = setTimeout(() => {
        resolve({ recorded: false, reason: `not recorded within ${String(boundMs)} ms` });
      }, boundMs);
    });
    const recording = this.history.record(row, { completesIntent: intentId }).then(
      (): RecordOutcome => ({ recorded: true }),
      (err: unknown): RecordOutcome => ({ recorded: false, reason: err instanceof Error ? err.message : String(err) }),
    );
    try {
      return await Promise.race([recording, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Records `state` in history if nothing has yet. Never throws (logs instead). */
  async observe(state: NodeState): Promise<void> {
    if (this.stopped || isSystemPath(state.path)) return;
    try {
      await this.tracker.idle(state.path);
      if (state.exists) await this.observePresent(state);
      else await this.observeDeleted(state);
    } catch (err) {
      this.log.error(`could not record history for ${state.path}`, err);
    }
  }

  private async observePresent(state: Extract<NodeState, { exists: true }>): Promise<void> {
    const { path, stat } = state;
    // Ephemerals are session state (service registration, locks, elections), not config: they
    // come and go with their owners and would flood history.
    if (stat.ephemeralOwner !== 0n) return;
    if (await this.history.byMzxid(path, stat.mzxid)) return;
    // One of our own writes may still be finishing under another name (sequential create).
    await this.tracker.idleAll();
    if (await this.history.byMzxid(path, stat.mzxid)) return;
    const { text, encoding } = decodeData(state.data);
    const hash = hashBytes(state.data);
    const op = stat.version === 0 && stat.czxid === stat.mzxid ? "create" : "update";
    const intent = await this.findIntent(path, hash, op);
    if (intent === "wait") {
      this.retryLater(state);
      return;
    }
    await this.history.record(
      {
        path,
        version: stat.version,
        mzxid: stat.mzxid,
        czxid: stat.czxid,
        op,
        content: text,
        encoding,
        author: intent?.author ?? EXTERNAL_AUTHOR,
        message: intent?.message ?? "Changed outside Conifer",
        source: intent?.source ?? "external",
        at: stat.mtime,
        releaseId: intent?.releaseId ?? null,
      },
      // the attributed intent is completed (applied at this mzxid) in the same transaction
      intent ? { completesIntent: intent.id } : undefined,
    );
  }

  private async observeDeleted(state: Extract<NodeState, { exists: false }>): Promise<void> {
    const { path, zxid } = state;
    const latest = await this.history.latest(path);
    if (!latest || latest.op === "delete") return;
    if (zxid !== 0n && BigInt(latest.mzxid) > zxid) return; // re-created since; that row is newer
    const intent = await this.findIntent(path, hashText(""), "delete");
    if (intent === "wait") {
      this.retryLater(state);
      return;
    }
    // The writer of a delete keys its row on the delete's zxid, an observer on the last
    // version's mzxid (the delete zxid cannot be read back), so the unique key does not stop a
    // second row. When the writer's row and intent completion (one transaction) landed between
    // our `latest` and our intent lookup, we see no intent; its row is visible by now.
    if (!intent) {
      const now = await this.history.latest(path);
      if (now && now.id !== latest.id && now.op === "delete") return;
    }
    await this.history.record({
      path,
      version: latest.version,
      // keyed on the last version's mzxid, not the (read-time dependent) delete zxid, so every
      // server process sharing the backend records the same (path, mzxid, "delete") row once
      mzxid: latest.mzxid,
      czxid: 0n,
      op: "delete",
      content: "",
      encoding: "utf8",
      author: intent?.author ?? EXTERNAL_AUTHOR,
      message: intent?.message ?? "Deleted outside Conifer",
      source: intent?.source ?? "external",
      releaseId: intent?.releaseId ?? null,
    });
    if (intent) await this.history.completeIntent(intent.id, { outcome: "applied" });
  }

  /** The oldest pending intent that explains this change; "wait" if it may still finish elsewhere. */
  private async findIntent(path: string, hash: string, op: string): Promise<WriteIntent | "wait" | null> {
    let candidates = await this.history.pendingIntents({ path });
    const name = baseName(path);
    if (op === "create" && isSequentialName(name)) {
      // a sequential create's intent names the requested prefix, not the final name
      const prefix = joinPath(parentOf(path), name.replace(/(\d{10}|-2147483648)$/, ""));
      candidates = candidates.concat(await this.history.pendingIntents({ path: prefix }));
    }
    const match = candidates
      .filter((i) => i.contentHash === hash && (i.op === op || (op !== "delete" && i.op !== "delete")))
      .sort((a, b) => a.createdAt - b.createdAt)[0];
    if (!match) return null;
    const foreign = !this.tracker.holds(match.id);
    const young = Date.now() - match.createdAt < this.opts.graceMs;
    if (foreign && this.opts.sharedBackend && young && !this.crashedIntents.has(match.id)) return "wait";
    return match;
  }

  /** Intents known to be left by a previous run of this server (found pending at start). */
  readonly crashedIntents = new Set<string>();

  /**
   * Changes waiting for a peer's row (retried after the grace period), counted until their retry
   * finished; a retry that defers again is counted again before this one is released.
   */
  get deferred(): number {
    return this.deferredCount;
  }

  private retryLater(state: NodeState): void {
    if (this.stopped) return;
    this.deferredCount++;
    const t = setTimeout(() => {
      this.timers.delete(t);
      void this.observe(state).finally(() => this.deferredCount--);
    }, this.opts.graceMs);
    t.unref();
    this.timers.add(t);
  }

  /**
   * Walks the tree (system subtrees excluded) and records every node whose current mzxid has
   * no history row, then settles intents left pending: deletes whose node is gone are recorded,
   * and stale intents that match nothing are closed as failed.
   */
  async reconcile(link: BackendLink): Promise<{ visited: number }> {
    // With a private backend every intent pending at start was left by a crash; with a shared
    // one, only those older than the grace period (others may belong to a live peer).
    const startedPending = (await this.history.pendingIntents()).filter(
      (i) => !this.tracker.holds(i.id) && (!this.opts.sharedBackend || Date.now() - i.createdAt >= this.opts.graceMs),
    );
    for (const i of startedPending) this.crashedIntents.add(i.id);
    let visited = 0;
    const seen = new Set<string>();
    const queue = ["/"];
    while (queue.length > 0) {
      const batch = queue.splice(0, 100);
      const session = link.session;
      const results = await Promise.all(
        batch.map(async (p) => {
          const [d, c] = await Promise.all([
            session.getData(p).catch(() => null),
            session.getChildren(p).catch(() => null),
          ]);
          return { p, d, c };
        }),
      );
      for (const { p, d, c } of results) {
        if (d && p !== "/") {
          visited++;
          seen.add(p);
          await this.observe({ path: p, exists: true, data: d.data, stat: d.stat });
        }
        for (const child of c?.children ?? []) {
          const cp = joinPath(p, child);
          if (!isSystemPath(cp)) queue.push(cp);
        }
      }
    }
    // deleted while nobody watched: history still shows them alive
    for (const entry of await this.history.latestPerPath()) {
      if (entry.op === "delete" || seen.has(entry.path) || isSystemPath(entry.path)) continue;
      if ((await link.session.exists(entry.path)) === null)
        await this.observe({ path: entry.path, exists: false, zxid: 0n });
    }
    for (const intent of startedPending) {
      if (isSystemPath(intent.path)) continue;
      if (intent.op === "delete" && (await link.session.exists(intent.path).catch(() => undefined)) === null) {
        await this.observe({ path: intent.path, exists: false, zxid: 0n });
      }
      // whatever the walk did not attribute never reached the backend
      const still = (await this.history.pendingIntents({ path: intent.path })).some((i) => i.id === intent.id);
      if (still) await this.history.completeIntent(intent.id, { outcome: "failed" });
    }
    return { visited };
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.deferredCount -= this.timers.size;
    this.timers.clear();
  }
}
