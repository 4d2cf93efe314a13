/**
 * The embedded engine: a Backend with ZooKeeper 3.8 semantics over a durable log. It recovers
 * the tree from the data dir, hands out sessions and keeps the live-session table, and runs the
 * two background tasks ZooKeeper runs: session expiry (expiry.ts, every tick) and the
 * container/TTL reaper. Sessions (session.ts) turn each call into a write or read on the
 * RequestProcessor; they see the engine only through the narrow SessionHost interface
 * (session-host.ts), so session.ts does not import this file. Replaying the data dir is
 * replay.ts. The test hooks (pause heartbeats, expire a session, reap now) live in
 * src/testing, the package's ./testing entry.
 */
import { CoordinatorError } from "@conifer/coordinator";
import type { Backend, BackendInfo, Session, Stat, Watcher, WatcherTypeName } from "@conifer/coordinator";
import { authenticate, identitiesOf } from "./acl.ts";
import type { Identity } from "./acl.ts";
import { DataTree } from "./data-tree.ts";
import { JUTE_MAX_BUFFER } from "./frame.ts";
import { resolveOptions } from "./options.ts";
import type { EngineOptions, ResolvedOptions } from "./options.ts";
import { RequestProcessor } from "./processor.ts";
import type { EngineSessionOptions, EngineStats } from "./engine-types.ts";
import { Reaper } from "./reaper.ts";
import { READ_NOW } from "./reads.ts";
import type { ReadContext, ReadNowResults } from "./reads.ts";
import { replay } from "./replay.ts";
import { SessionExpiry } from "./expiry.ts";
import { EngineSession } from "./session.ts";
import type { SessionHost } from "./session-host.ts";
import { DurableStore } from "./storage/durable-store.ts";
import { statOf } from "./znode.ts";
import { asError } from "./as-error.ts";

const MASK64 = (1n << 64n) - 1n;

function firstSessionId(atLeast: bigint): bigint {
  // ZooKeeper's standalone scheme: server id 1 in the top byte, time-derived bits below
  const id = (((BigInt(Date.now()) << 24n) & MASK64) >> 8n) | (1n << 56n);
  return id > atLeast ? id : atLeast + 1n;
}

export class Engine implements Backend, SessionHost {
  readonly kind = "embedded" as const;
  readonly maxDataBytes: number;
  /** @internal the tree and request path, used by EngineSession */
  readonly processor: RequestProcessor;
  /** @internal */
  readonly opts: ResolvedOptions;
  /** @internal the container/TTL reaper: its timer runs a pass now and then (tests: reapNow in ./testing) */
  readonly reaper: Reaper;
  private readonly live = new Map<bigint, EngineSession>();
  private nextSessionId: bigint;
  private timers: NodeJS.Timeout[] = [];
  private readonly expiry: SessionExpiry;
  private closed = false;
  private closing: Promise<void> | null = null;

  private constructor(
    opts: ResolvedOptions,
    private readonly store: DurableStore,
    tree: DataTree,
    private readonly recovery: EngineStats["recovery"],
  ) {
    this.opts = opts;
    // what the Backend promises for any path up to ~970 bytes, the same as the ZooKeeper adapter
    this.maxDataBytes = opts.maxDataBytes ?? JUTE_MAX_BUFFER - 1024;
    this.processor = new RequestProcessor(tree, store, opts.snapshotEveryTxns);
    this.reaper = new Reaper(this.processor, () => this.closed);
    this.expiry = new SessionExpiry(
      this.live,
      () => this.tree,
      (s) => void this.endSession(s, "expired").catch(() => {}),
      () => this.closed,
    );
    let maxKnown = 0n;
    for (const id of tree.sessions.keys()) if (id > maxKnown) maxKnown = id;
    for (const id of tree.ephemerals.keys()) if (id > maxKnown) maxKnown = id;
    this.nextSessionId = firstSessionId(maxKnown);
  }

  /** opens (or creates) the data dir, recovers the tree and expires the previous run's sessions */
  static async open(options: EngineOptions): Promise<Engine> {
    const opts = resolveOptions(options);
    const { store, recovered } = await DurableStore.open({
      dir: opts.dataDir,
      fsync: opts.fsync,
      snapRetainCount: opts.snapRetainCount,
    });
    let engine: Engine;
    try {
      const { tree, summary } = replay(recovered);
      engine = new Engine(opts, store, tree, summary);
    } catch (err) {
      await store.close().catch(() => {});
      throw err;
    }
    // the previous run's clients died with it: close their sessions (and ephemerals) durably
    const dead = new Set([...engine.tree.sessions.keys(), ...engine.tree.ephemerals.keys()]);
    const closes = [...dead]
      .sort((a, b) => (a < b ? -1 : 1))
      .map((id) =>
        engine.processor.write(
          () => ({ t: "closeSession", sessionId: id }),
          () => undefined,
        ),
      );
    try {
      await Promise.all(closes);
    } catch (err) {
      await store.close().catch(() => {});
      throw err;
    }
    engine.startTimers();
    return engine;
  }

  private get tree(): DataTree {
    return this.processor.tree;
  }

  get lastZxid(): bigint {
    return this.tree.lastZxid;
  }

  /** the zxid whose watch events are being delivered at this moment, or null (see processor.ts) */
  get deliveringZxid(): bigint | null {
    return this.processor.deliveringZxid;
  }

  // ---- Backend ----

  connect(options: EngineSessionOptions = {}): Promise<Session> {
    if (this.closed) return Promise.reject(new CoordinatorError("CONNECTION_LOSS", "engine is closed"));
    const requested = options.timeoutMs ?? 30_000;
    const timeoutMs = Math.min(Math.max(requested, this.opts.minSessionTimeoutMs), this.opts.maxSessionTimeoutMs);
    const identity: Identity = { ids: [{ scheme: "ip", id: options.clientIp ?? "127.0.0.1" }], isSuper: false };
    try {
      for (const a of options.auth ?? []) authenticate(identity, a.scheme, a.auth, this.opts.superDigest);
    } catch (err) {
      return Promise.reject(asError(err));
    }
    const sessionId = this.nextSessionId++;
    const session = new EngineSession(this, sessionId, timeoutMs, identity, options.heartbeats ?? true);
    this.live.set(sessionId, session);
    return this.processor
      .write(
        () => ({ t: "createSession", sessionId, timeoutMs }),
        () => session as Session,
      )
      .catch((err: unknown) => {
        this.live.delete(sessionId);
        session.state = "closed";
        throw err;
      });
  }

  info(): Promise<BackendInfo> {
    const s = this.stats();
    return Promise.resolve({
      kind: "embedded",
      description: this.opts.dataDir,
      members: [
        { address: "in-process", role: "embedded", zxid: s.lastZxid, connections: s.sessions, nodeCount: s.nodeCount },
      ],
      details: {
        dataDir: this.opts.dataDir,
        sessions: s.sessions,
        watches: s.watches,
        ephemerals: s.ephemerals,
        zxid: `0x${s.lastZxid.toString(16)}`,
      },
      writable: !this.closed && this.processor.pipeline.failure === null,
    });
  }

  stats(): EngineStats {
    let ephemerals = 0;
    for (const set of this.tree.ephemerals.values()) ephemerals += set.size;
    return {
      lastZxid: this.tree.lastZxid,
      nodeCount: this.tree.size,
      sessions: this.live.size,
      ephemerals,
      watches: this.processor.watches.count,
      pendingRequests: this.processor.pipeline.pending,
      storage: this.store.stats(),
      snapshots: { ...this.processor.snapshots },
      recovery: { ...this.recovery },
    };
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const closes = [...this.live.values()].map((s) => s.close().catch(() => {}));
      this.closed = true;
      for (const t of this.timers) clearInterval(t);
      this.timers = [];
      await Promise.all(closes);
      this.processor.stopSnapshots();
      await this.processor.idle();
      await this.store.close();
    })();
    return this.closing;
  }

  // ---- hooks for a network door (@conifer/zk-server): its sessions are ordinary engine sessions ----

  /** a frame from the session's client (a ping included) keeps a session without heartbeats alive */
  touch(session: Session): void {
    this.own(session).lastSeen = Date.now();
  }

  /** drops every watch of the session: ZooKeeper keeps watches per connection, not per session */
  dropWatches(session: Session): void {
    this.processor.watches.dropSession(this.own(session).watches);
  }

  /** checkWatches (17): whether the session holds a watch of `type` on exactly `path` */
  hasWatch(session: Session, path: string, type: WatcherTypeName): boolean {
    return this.processor.watches.has(this.own(session).watches, path, type);
  }

  /** setWatches (101/105): the Stat of path right now, read synchronously (no ACL check, as exists) */
  peek(path: string): Stat | null {
    const n = this.tree.get(path);
    return n ? statOf(n) : null;
  }

  /**
   * whoAmI (107): the session's identities in the order they were added, each with the user
   * name ZooKeeper shows for it (digest ids: the part before the colon); super adds ("super", "")
   */
  whoAmI(session: Session): { scheme: string; id: string; user: string }[] {
    return identitiesOf(this.own(session).identity);
  }

  /**
   * getData / exists / getChildren answered at once when nothing is waiting for the disk, so a
   * network door can reply without a promise per request; null when earlier outcomes are still
   * pending (use the Session method: it answers behind them). Throws what the read refuses
   * with. getData's data is the node's own buffer (null for no data), to be encoded at once.
   */
  readNow<K extends keyof ReadNowResults>(
    session: Session,
    kind: K,
    path: string,
    watch?: Watcher,
  ): { value: ReadNowResults[K] } | null {
    const step = READ_NOW[kind] as (c: ReadContext, path: string, watch?: Watcher) => ReadNowResults[K];
    return this.own(session).readNow((c) => step(c, path, watch));
  }

  /** the engine's own session behind a Session handed out by connect() */
  private own(session: Session): EngineSession {
    if (!(session instanceof EngineSession) || session.engine !== this)
      throw new TypeError("not a session of this engine");
    return session;
  }

  // ---- used by EngineSession and the ./testing entry ----

  /** closeSession txn for close() and expiry; the state listeners fire once it is durable */
  endSession(session: EngineSession, final: "closed" | "expired"): Promise<void> {
    if (session.ending) return session.ending;
    session.state = final;
    this.live.delete(session.sessionId);
    // An expired session's client is gone; a closing one is still attached, and ZooKeeper sends
    // it the events of its own ephemerals' deletion before it answers the close. write() applies
    // the txn and collects its notifications synchronously, so dropping the watches right after
    // it keeps those and nothing later.
    if (final === "expired") this.processor.watches.dropSession(session.watches);
    session.ending = this.processor.write(
      () => ({ t: "closeSession", sessionId: session.sessionId }),
      () => undefined,
      () => session.emit(final),
    );
    if (final === "closed") this.processor.watches.dropSession(session.watches);
    return session.ending;
  }

  private startTimers(): void {
    const expiry = setInterval(() => {
      this.expiry.check();
    }, this.opts.tickMs);
    let reaping = false;
    const reaper = setInterval(() => {
      if (reaping) return; // the previous pass is still going through its batches
      reaping = true;
      void this.reaper
        .pass()
        .catch(() => {})
        .finally(() => (reaping = false));
    }, this.opts.containerCheckIntervalMs);
    expiry.unref();
    reaper.unref();
    this.timers.push(expiry, reaper);
  }
}
