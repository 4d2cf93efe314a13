/**
 * One in-process ZooKeeper session. Every call does its work synchronously when it is made -
 * validate, apply, register watches - so a session's requests take effect in the order they
 * are issued even when the caller does not await them; the engine's pipeline then releases
 * the outcomes in that same order once they are durable.
 */
import { CoordinatorError, Perms, assertValidPath } from "@conifer/coordinator";
import type {
  ACL,
  AclResult,
  ChildrenResult,
  CreateOptions,
  CreateResult,
  DataResult,
  MultiResult,
  Op,
  Session,
  SessionState,
  Stat,
  StatResult,
  StateListener,
  Watcher,
  WatcherTypeName,
  WriteResult,
} from "@conifer/coordinator";
import { allowed, authenticate, checkAcl, maskAcl } from "./acl.ts";
import type { Identity } from "./acl.ts";
import { JUTE_MAX_BUFFER, createFrameBytes, multiFrameBytes, setDataFrameBytes } from "./frame.ts";
import { multiResults, prepMulti } from "./multi.ts";
import type { ResolvedOptions } from "./options.ts";
import { prepCreate, prepDelete, prepSetAcl, prepSetData } from "./prep.ts";
import type { PrepContext } from "./prep.ts";
import type { RequestProcessor } from "./processor.ts";
import { SessionWatches } from "./watches.ts";
import { statOf } from "./znode.ts";
import type { ZNode } from "./znode.ts";
import { asError } from "./as-error.ts";

function isSequential(mode: string | undefined): boolean {
  return (
    mode === "PERSISTENT_SEQUENTIAL" || mode === "EPHEMERAL_SEQUENTIAL" || mode === "PERSISTENT_SEQUENTIAL_WITH_TTL"
  );
}

/** Java's String.trim, as the server applies it to getEphemerals' prefix: code units <= U+0020 */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

const WRITE_OPS = new Set(["create", "delete", "setData", "check"]);

/**
 * What a session needs from the engine that made it (the Engine implements it): the request
 * path, the options, and ending the session. Narrow on purpose, so this file does not import
 * engine.ts and the two do not form a cycle.
 */
export interface SessionHost {
  readonly processor: RequestProcessor;
  readonly opts: ResolvedOptions;
  readonly maxDataBytes: number;
  /** closeSession txn for close() and expiry; the state listeners fire once it is durable */
  endSession(session: EngineSession, final: "closed" | "expired"): Promise<void>;
}

export class EngineSession implements Session {
  state: SessionState = "connected";
  heartbeats: boolean;
  lastSeen = Date.now();
  ending: Promise<void> | null = null;
  readonly watches = new SessionWatches((acl) => allowed(acl, Perms.READ, this.identity));
  private readonly listeners = new Set<StateListener>();

  constructor(
    readonly engine: SessionHost,
    readonly sessionId: bigint,
    readonly timeoutMs: number,
    /** @internal read by Engine.whoAmI */
    readonly identity: Identity,
    heartbeats: boolean,
  ) {
    this.heartbeats = heartbeats;
  }

  // ---- plumbing ----

  emit(state: SessionState): void {
    for (const l of [...this.listeners]) {
      try {
        l(state);
      } catch {
        // listeners must not break the engine's release loop
      }
    }
  }

  /** SESSION_EXPIRED once closed or expired; otherwise counts as a ping */
  private alive(): CoordinatorError | null {
    if (this.state !== "connected") {
      return new CoordinatorError("SESSION_EXPIRED", `session 0x${this.sessionId.toString(16)} is ${this.state}`);
    }
    this.lastSeen = Date.now();
    return null;
  }

  /**
   * The client library's local path check (the Java client's and our ZooKeeper adapter's):
   * a bad path is refused before it reaches the server, so it costs no zxid. Like the Java
   * client, a sequential path is checked with a digit appended, since the server adds one.
   */
  private static checkPath(path: string, sequential = false): void {
    assertValidPath(sequential && typeof path === "string" ? `${path}0` : path);
  }

  private ctx(): PrepContext {
    return {
      tree: this.engine.processor.tree,
      identity: this.identity,
      sessionId: this.sessionId,
      extendedTypesEnabled: this.engine.opts.extendedTypesEnabled,
    };
  }

  private sized(data: Buffer | null | undefined, path: string): Buffer | null {
    if (data === null) return null;
    if (data === undefined) return Buffer.alloc(0);
    const cap = this.engine.opts.maxDataBytes;
    if (cap !== undefined && data.length > cap) {
      throw new CoordinatorError(
        "BAD_ARGUMENTS",
        `data for ${path} is ${data.length} bytes, more than the maximum of ${cap} bytes (maxDataBytes)`,
        path,
      );
    }
    // A copy of its own rather than a slice of Node's shared 8 KB buffer pool: znode data lives
    // as long as the node, and a long-lived slice pins its whole pool slab (heap snapshots showed
    // ~1.2 KB per idle SDK connection, through each one's ephemeral instance node).
    const copy = Buffer.allocUnsafeSlow(data.length);
    data.copy(copy);
    return copy;
  }

  /** a request ZooKeeper's server would not read (frame over jute.maxbuffer) is refused here */
  private static checkFrame(size: number, what: string, path?: string): void {
    if (size > JUTE_MAX_BUFFER) {
      throw new CoordinatorError(
        "BAD_ARGUMENTS",
        `${what} is ${size} bytes on the wire, more than ZooKeeper's jute.maxbuffer of ${JUTE_MAX_BUFFER} bytes`,
        path,
      );
    }
  }

  /** a TTL is whole milliseconds: a fraction is refused before it is sent, as our adapter does */
  private static checkTtl(path: string, options: CreateOptions | undefined): void {
    const ttl = options?.ttl;
    const withTtl = options?.mode === "PERSISTENT_WITH_TTL" || options?.mode === "PERSISTENT_SEQUENTIAL_WITH_TTL";
    if (withTtl && typeof ttl === "number" && !Number.isInteger(ttl)) {
      throw new CoordinatorError("BAD_ARGUMENTS", `ttl must be a whole number of milliseconds, got ${ttl}`, path);
    }
  }

  private node(path: string): ZNode {
    const n = this.engine.processor.tree.get(path);
    if (!n) throw new CoordinatorError("NO_NODE", `no node ${path}`, path);
    return n;
  }

  private readNode(path: string): ZNode {
    const n = this.node(path);
    checkAcl(n.acl, Perms.READ, this.identity, path);
    return n;
  }

  /** a locally refused request still answers in issue order, behind the session's earlier ones */
  private refuse<R>(err: unknown): Promise<R> {
    return this.engine.processor.read<R>(() => {
      throw err;
    });
  }

  /** runs a synchronous read step, or fails in order if the session is gone */
  private read<R>(compute: () => R): Promise<R> {
    const dead = this.alive();
    if (dead) return this.refuse(dead);
    return this.engine.processor.read(compute);
  }

  // ---- Session ----

  create(path: string, data?: Buffer | null, options?: CreateOptions): Promise<CreateResult> {
    const dead = this.alive();
    if (dead) return this.refuse(dead);
    let bytes: Buffer | null;
    try {
      EngineSession.checkPath(path, isSequential(options?.mode));
      EngineSession.checkTtl(path, options);
      EngineSession.checkFrame(createFrameBytes(path, data, options), `create of ${path}`, path);
      bytes = this.sized(data, path);
    } catch (err) {
      return this.refuse(err);
    }
    return this.engine.processor.write(
      () => prepCreate(this.ctx(), path, bytes, options),
      (txn) => {
        const p = (txn as { path: string }).path;
        return { path: p, stat: statOf(this.node(p)), zxid: txn.zxid };
      },
    );
  }

  delete(path: string, version = -1): Promise<WriteResult> {
    const dead = this.alive();
    if (dead) return this.refuse(dead);
    try {
      EngineSession.checkPath(path);
    } catch (err) {
      return this.refuse(err);
    }
    return this.engine.processor.write(
      () => prepDelete(this.ctx(), path, version),
      (txn) => ({ zxid: txn.zxid }),
    );
  }

  exists(path: string, watch?: Watcher): Promise<Stat | null> {
    return this.read(() => {
      EngineSession.checkPath(path);
      const n = this.engine.processor.tree.get(path);
      if (watch) this.engine.processor.watches.add(this.watches, n ? "data" : "exist", path, watch);
      return n ? statOf(n) : null;
    });
  }

  getData(path: string, watch?: Watcher): Promise<DataResult> {
    return this.read(() => {
      EngineSession.checkPath(path);
      const n = this.readNode(path);
      if (watch) this.engine.processor.watches.add(this.watches, "data", path, watch);
      return { data: n.data ? Buffer.from(n.data) : Buffer.alloc(0), stat: statOf(n) };
    });
  }

  setData(path: string, data: Buffer | null, version = -1): Promise<StatResult> {
    const dead = this.alive();
    if (dead) return this.refuse(dead);
    let bytes: Buffer | null;
    try {
      EngineSession.checkPath(path);
      EngineSession.checkFrame(setDataFrameBytes(path, data), `setData of ${path}`, path);
      bytes = this.sized(data, path);
    } catch (err) {
      return this.refuse(err);
    }
    return this.engine.processor.write(
      () => prepSetData(this.ctx(), path, bytes, version),
      (txn) => ({ stat: statOf(this.node(path)), zxid: txn.zxid }),
    );
  }

  getChildren(path: string, watch?: Watcher): Promise<ChildrenResult> {
    return this.read(() => {
      EngineSession.checkPath(path);
      const n = this.readNode(path);
      if (watch) this.engine.processor.watches.add(this.watches, "child", path, watch);
      return { children: [...n.children], stat: statOf(n) };
    });
  }

  getACL(path: string): Promise<AclResult> {
    return this.read(() => {
      EngineSession.checkPath(path);
      const n = this.node(path);
      if (allowed(n.acl, Perms.ADMIN, this.identity))
        return { acl: n.acl.map((a) => ({ perms: a.perms, id: { ...a.id } })), stat: statOf(n) };
      checkAcl(n.acl, Perms.READ, this.identity, path);
      return { acl: maskAcl(n.acl), stat: statOf(n) };
    });
  }

  setACL(path: string, acl: readonly ACL[], aversion = -1): Promise<StatResult> {
    const dead = this.alive();
    if (dead) return this.refuse(dead);
    try {
      EngineSession.checkPath(path);
    } catch (err) {
      return this.refuse(err);
    }
    return this.engine.processor.write(
      () => prepSetAcl(this.ctx(), path, acl, aversion),
      (txn) => ({ stat: statOf(this.node(path)), zxid: txn.zxid }),
    );
  }

  /** untyped callers may put holes or nulls in `ops`: those are refused below */
  multi(ops: readonly (Op | null | undefined)[]): Promise<MultiResult> {
    const dead = this.alive();
    if (dead) return this.refuse(dead);
    const copies: Op[] = [];
    const checked: Op[] = [];
    try {
      for (const op of ops) {
        if (!op || !WRITE_OPS.has(op.type)) {
          throw new CoordinatorError(
            "MARSHALLING_ERROR",
            `multi accepts create, delete, setData and check, not ${JSON.stringify(op?.type)}`,
          );
        }
        checked.push(op);
        EngineSession.checkPath(op.path, op.type === "create" && isSequential(op.options?.mode));
        if (op.type === "create") EngineSession.checkTtl(op.path, op.options);
        if (op.type === "create") copies.push({ ...op, data: this.sized(op.data, op.path) ?? undefined });
        else if (op.type === "setData") copies.push({ ...op, data: this.sized(op.data, op.path) as Buffer });
        else copies.push(op);
      }
      // ZooKeeper bounds the whole request (jute.maxbuffer), not each sub-op; so does a cap
      EngineSession.checkFrame(multiFrameBytes(checked), `multi of ${ops.length} ops`);
      const cap = this.engine.opts.maxDataBytes;
      const total = copies.reduce(
        (n, op) => n + (op.type === "create" || op.type === "setData" ? (op.data?.length ?? 0) : 0),
        0,
      );
      if (cap !== undefined && total > cap) {
        throw new CoordinatorError(
          "BAD_ARGUMENTS",
          `multi carries ${total} bytes of data, more than the maximum of ${cap} bytes (maxDataBytes)`,
        );
      }
    } catch (err) {
      return this.refuse(err);
    }
    return this.engine.processor.write(
      (zxid, time) => {
        const r = prepMulti(this.ctx(), copies, zxid, time);
        if (!r.ok) throw r.error;
        return { t: "multi", ops: r.subs };
      },
      (txn, stats) => ({ results: multiResults(txn, stats), zxid: txn.zxid }),
    );
  }

  sync(path: string): Promise<void> {
    return this.read(() => EngineSession.checkPath(path));
  }

  /** `mode` is checked at run time: untyped callers may pass any string */
  addWatch(path: string, mode: string, watcher: Watcher): Promise<void> {
    return this.read(() => {
      EngineSession.checkPath(path);
      if (mode !== "PERSISTENT" && mode !== "PERSISTENT_RECURSIVE")
        throw new CoordinatorError("BAD_ARGUMENTS", `unknown addWatch mode ${mode}`, path);
      this.engine.processor.watches.add(
        this.watches,
        mode === "PERSISTENT" ? "persistent" : "recursive",
        path,
        watcher,
      );
    });
  }

  removeWatches(path: string, type: WatcherTypeName, watcher?: Watcher): Promise<void> {
    return this.read(() => {
      EngineSession.checkPath(path);
      if (!this.engine.processor.watches.remove(this.watches, path, type, watcher)) {
        throw new CoordinatorError("NO_WATCHER", `no ${type} watch on ${path}`, path);
      }
    });
  }

  getEphemerals(prefix = "/"): Promise<string[]> {
    return this.read(() => {
      const all = [...(this.engine.processor.tree.ephemerals.get(this.sessionId) ?? [])];
      const trimmed = javaTrim(prefix);
      return trimmed === "" || trimmed === "/" ? all : all.filter((p) => p.startsWith(prefix));
    });
  }

  getAllChildrenNumber(path: string): Promise<number> {
    return this.read(() => {
      EngineSession.checkPath(path);
      this.readNode(path);
      const tree = this.engine.processor.tree;
      if (path === "/" || path === "") return tree.size - 1;
      let count = 0;
      const prefix = `${path}/`;
      for (const p of tree.nodes.keys()) if (p.startsWith(prefix)) count++;
      return count;
    });
  }

  addAuth(scheme: string, auth: string): Promise<void> {
    const dead = this.alive();
    if (dead) return Promise.reject(dead);
    try {
      authenticate(this.identity, scheme, auth, this.engine.opts.superDigest);
    } catch (err) {
      return Promise.reject(asError(err));
    }
    return Promise.resolve();
  }

  onStateChange(listener: StateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    return this.engine.endSession(this, "closed");
  }
}
