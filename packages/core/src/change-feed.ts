/**
 * ChangeFeed: the server's ONE persistent-recursive watch on "/", however many clients.
 * Each backend event is turned into
 *   - a tree event for console watchers (plus the NodeChildrenChanged of the parent, which a
 *     recursive watch never fires),
 *   - a `changed` notice carrying the node's real Stat, read once right after the event (the
 *     same read fills the content cache, so clients fetching that version cost nothing more),
 *   - a history check, so changes made behind the server's back are recorded ("external").
 * Events are processed in batches (`feed-batches.ts`), and a notice is only emitted when the path
 * moved past what was last announced, so subscribers see each path's changes in mzxid order,
 * once; the notices of one multi leave together, announced first by one `group`.
 */
import { CoordinatorError, parentOf, type Session, type WatchEvent } from "@conifer/coordinator";
import type { ChangeNotice, ConfigSnapshot, TreeEvent, VersionInfo } from "@conifer/protocol";
import type { BackendLink } from "./backend-link.ts";
import { ContentCache } from "./content-cache.ts";
import { FeedBatches } from "./feed-batches.ts";
import { decodeData } from "./content.ts";
import { formatOfPath } from "./dto.ts";
import { ConfigError, toConfigError } from "./errors.ts";
import type { HistoryRecorder, NodeState } from "./history-recorder.ts";
import type { Logger } from "./logger.ts";
import { checkPath, isSystemPath } from "./paths.ts";

const MAX_ANNOUNCED = 200_000;
/** read rounds per batch: enough for a transaction's events; bounded so a write storm still flows */
const MAX_ROUNDS = 4;

export interface FeedListeners {
  changed?(notice: ChangeNotice): void;
  /** before the `changed` notices of one transaction that changed several paths (a multi) */
  group?(zxid: string, notices: ChangeNotice[]): void;
  tree?(event: TreeEvent): void;
  resync?(reason: string): void;
  /** a node created under the server's own subtree (/conifer): servers signal each other this way */
  systemCreated?(path: string): void;
}

export class ChangeFeed {
  readonly cache = new ContentCache();
  /** paths with events not yet announced, processed one batch at a time */
  private readonly batches = new FeedBatches(
    (paths, more) => this.processBatch(paths, more),
    (err) => this.log.error("change feed batch failed", err),
  );
  /** per path: ordering zxid of the last notice sent */
  private readonly announced = new Map<string, bigint>();
  private readonly inflightReads = new Map<string, Promise<ConfigSnapshot>>();
  private readonly listeners: FeedListeners[] = [];
  private stopped = false;
  /** backend reads done to serve fetches (not counting the one per event); for tests/metrics */
  fetchReads = 0;

  constructor(
    private readonly link: BackendLink,
    private readonly recorder: HistoryRecorder,
    private readonly log: Logger,
  ) {}

  listen(l: FeedListeners): () => void {
    this.listeners.push(l);
    return () => {
      const i = this.listeners.indexOf(l);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Registers the recursive watch on the given (new) session. */
  async attach(session: Session): Promise<void> {
    await session.addWatch("/", "PERSISTENT_RECURSIVE", (ev) => this.onEvent(ev));
  }

  /**
   * Events may have been lost (session renewed, connection restored): nothing cached counts as
   * current any more; it is only kept as the last-known answer while the backend is unreachable.
   */
  invalidate(): void {
    this.cache.markStale();
    this.announced.clear();
  }

  /** Tells every client to compare versions again (after `invalidate` and a reconcile). */
  resync(reason: string): void {
    this.invalidate();
    for (const l of this.listeners) l.resync?.(reason);
  }

  private onEvent(ev: WatchEvent): void {
    if (this.stopped) return;
    const path = ev.path;
    this.emitTree({ type: ev.type, path });
    if ((ev.type === "NodeCreated" || ev.type === "NodeDeleted") && path !== "/") {
      this.emitTree({ type: "NodeChildrenChanged", path: parentOf(path) });
    }
    if (ev.type === "NodeChildrenChanged") return;
    if (isSystemPath(path)) {
      if (ev.type === "NodeCreated") for (const l of this.listeners) l.systemCreated?.(path);
      return;
    }
    this.batches.add(path);
  }

  /**
   * Reads one batch of paths and announces it: notices grouped by the zxid that produced them
   * (a multi has one zxid for all its ops), each group complete. Why complete: a backend sends
   * every event of a transaction before the answer to any read issued after it (one session,
   * FIFO), so once the batch's reads have answered, every event of every transaction they saw
   * has arrived; the ones that arrived meanwhile are read too (a few rounds at most) before the
   * batch is announced.
   */
  private async processBatch(paths: string[], more: () => string[]): Promise<void> {
    const states = new Map<string, NodeState>();
    let round = paths;
    for (let i = 0; round.length > 0 && i < MAX_ROUNDS; i++) {
      const read = await Promise.all(
        round.map((p) =>
          this.readState(p).catch((err: unknown) => {
            this.log.error(`change feed failed on ${p}`, err);
            return undefined;
          }),
        ),
      );
      round.forEach((p, j) => {
        const st = read[j];
        if (st) states.set(p, st);
      });
      round = more();
    }
    const groups = new Map<bigint, ChangeNotice[]>();
    for (const state of states.values()) {
      this.remember(state);
      const notice = this.noticeFor(state);
      if (!notice) continue;
      const z = BigInt(notice.zxid);
      const g = groups.get(z);
      if (g) g.push(notice);
      else groups.set(z, [notice]);
    }
    for (const [zxid, notices] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (notices.length > 1) for (const l of this.listeners) l.group?.(zxid.toString(), notices);
      for (const n of notices) for (const l of this.listeners) l.changed?.(n);
    }
    await Promise.all(
      [...states.values()].map((st) =>
        this.recorder.observe(st).catch((err: unknown) => this.log.error(`change feed failed on ${st.path}`, err)),
      ),
    );
  }

  /** The notice for a state read, unless the path did not move past what was last announced. */
  private noticeFor(state: NodeState): ChangeNotice | undefined {
    const path = state.path;
    const order = state.exists ? state.stat.mzxid : state.zxid;
    const last = this.announced.get(path);
    if (last !== undefined && order <= last) return undefined;
    this.announced.delete(path);
    this.announced.set(path, order);
    if (this.announced.size > MAX_ANNOUNCED) this.announced.delete(this.announced.keys().next().value as string);
    return state.exists
      ? { path, exists: true, version: state.stat.version, mzxid: state.stat.mzxid.toString(), zxid: order.toString() }
      : { path, exists: false, version: -1, mzxid: "0", zxid: order.toString() };
  }

  /**
   * Reads a node's data and Stat. For a missing node, the delete's zxid is the pzxid of the
   * nearest existing ancestor (exact for a single delete or a recursive multi; never earlier).
   */
  private async readState(path: string): Promise<NodeState> {
    const session = this.link.session;
    for (;;) {
      try {
        const { data, stat } = await session.getData(path);
        return { path, exists: true, data, stat };
      } catch (err) {
        if (!CoordinatorError.is(err, "NO_NODE")) throw err;
      }
      let zxid = 0n;
      for (let p = parentOf(path); p !== ""; p = parentOf(p)) {
        const st = await session.exists(p);
        if (st) {
          zxid = st.pzxid;
          break;
        }
      }
      // Still absent after that read (one session: reads are ordered), so any re-creation comes
      // later and gets a larger mzxid than this zxid. If it is back already, read it instead.
      if ((await session.exists(path)) === null) return { path, exists: false, zxid };
    }
  }

  private remember(state: NodeState): ConfigSnapshot {
    if (state.exists) {
      const { text } = decodeData(state.data);
      return this.cache.put(
        {
          path: state.path,
          exists: true,
          version: state.stat.version,
          mzxid: state.stat.mzxid.toString(),
          data: text,
          format: formatOfPath(state.path),
        },
        state.stat.mzxid,
      );
    }
    return this.cache.put(
      { path: state.path, exists: false, version: -1, mzxid: "0", data: "", format: formatOfPath(state.path) },
      state.zxid,
    );
  }

  /**
   * The current content of `path`: from the cache when the feed already read this version,
   * otherwise ONE backend read shared by every concurrent caller.
   */
  async fetch(path: string): Promise<ConfigSnapshot> {
    checkPath(path);
    if (isSystemPath(path)) return this.readUncached(path); // the feed does not track these
    const pending = this.batches.settled(path);
    if (pending) await pending; // an event for this path is being processed: serve its result
    const cached = this.cache.get(path);
    if (cached) return cached;
    let read = this.inflightReads.get(path);
    if (!read) {
      read = (async () => {
        this.fetchReads++;
        try {
          const state = await this.readState(path);
          // an event newer than the cache arrived before this answer: announce it first, so a
          // client never holds content of a transaction it has not been told about
          const announced = this.batches.settled(path);
          if (announced) {
            await announced;
            const cached = this.cache.get(path);
            if (cached) return cached;
          }
          return this.remember(state);
        } catch (err) {
          const mapped = toConfigError(err, path);
          // no quorum / unreachable: SDKs keep working on the last version this server read;
          // the resync that follows the backend's return corrects anything that moved
          const last = ConfigError.is(mapped, "BACKEND_UNAVAILABLE") ? this.cache.lastKnown(path) : undefined;
          if (last) return last;
          throw mapped;
        }
      })().finally(() => this.inflightReads.delete(path));
      this.inflightReads.set(path, read);
    }
    return read;
  }

  private async readUncached(path: string): Promise<ConfigSnapshot> {
    this.fetchReads++;
    try {
      const state = await this.readState(path);
      if (!state.exists) return { path, exists: false, version: -1, mzxid: "0", data: "", format: formatOfPath(path) };
      return {
        path,
        exists: true,
        version: state.stat.version,
        mzxid: state.stat.mzxid.toString(),
        data: decodeData(state.data).text,
        format: formatOfPath(path),
      };
    } catch (err) {
      throw toConfigError(err, path);
    }
  }

  /** Where a path stands now, straight from the backend (a Stat read, no data). */
  async version(path: string): Promise<VersionInfo> {
    checkPath(path);
    try {
      const st = await this.link.session.exists(path);
      return st
        ? { path, exists: true, version: st.version, mzxid: st.mzxid.toString() }
        : { path, exists: false, version: -1, mzxid: "0" };
    } catch (err) {
      const mapped = toConfigError(err, path);
      // as fetch: answer from the last version read while the backend is unreachable
      const last =
        ConfigError.is(mapped, "BACKEND_UNAVAILABLE") && !isSystemPath(path) ? this.cache.lastKnown(path) : undefined;
      if (last) return { path, exists: last.exists, version: last.version, mzxid: last.mzxid };
      throw mapped;
    }
  }

  private emitTree(ev: TreeEvent): void {
    for (const l of this.listeners) l.tree?.(ev);
  }

  /** Paths whose events are still being processed. */
  get pending(): number {
    return this.batches.size;
  }

  /** Waits until every event received so far has been processed (tests, shutdown). */
  async drain(): Promise<void> {
    await this.batches.drain();
  }

  stop(): void {
    this.stopped = true;
  }
}
