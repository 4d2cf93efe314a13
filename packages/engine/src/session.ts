/**
 * One in-process ZooKeeper session. Every call does its work synchronously when it is made -
 * validate, apply, register watches - so a session's requests take effect in the order they
 * are issued even when the caller does not await them; the engine's pipeline then releases
 * the outcomes in that same order once they are durable.
 */
import { CoordinatorError, Perms } from "@conifer/coordinator";
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
import { allowed, authenticate } from "./acl.ts";
import type { Identity } from "./acl.ts";
import { createFrameBytes, setDataFrameBytes } from "./frame.ts";
import { checkFrame, checkMulti, checkPath, checkTtl, isSequential, sized } from "./request-checks.ts";
import { multiResults, prepMulti } from "./multi.ts";
import {
  existsStep,
  getAclStep,
  getAllChildrenNumberStep,
  getChildrenStep,
  getDataStep,
  getEphemeralsStep,
  nodeAt,
} from "./reads.ts";
import type { ReadContext } from "./reads.ts";
import { prepCreate, prepDelete, prepSetAcl, prepSetData } from "./prep.ts";
import type { PrepContext } from "./prep.ts";
import type { SessionHost } from "./session-host.ts";
import { SessionWatches } from "./watches.ts";
import type { Txn, TxnBody } from "./txn.ts";
import { statOf } from "./znode.ts";
import type { ZNode } from "./znode.ts";
import { asError } from "./as-error.ts";

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

  private ctx(): PrepContext {
    return {
      tree: this.engine.processor.tree,
      identity: this.identity,
      sessionId: this.sessionId,
      extendedTypesEnabled: this.engine.opts.extendedTypesEnabled,
    };
  }

  /** @internal what the read steps (reads.ts) need; also used by Engine.readNow */
  reads(): ReadContext {
    return {
      tree: this.engine.processor.tree,
      identity: this.identity,
      sessionId: this.sessionId,
      registry: this.engine.processor.watches,
      watches: this.watches,
    };
  }

  private node(path: string): ZNode {
    return nodeAt(this.engine.processor.tree, path);
  }

  /**
   * @internal Engine.readNow: the step's answer at once, or null when earlier outcomes are still
   * waiting for the disk (the read must then be released behind them: the promise path)
   */
  readNow<R>(step: (c: ReadContext) => R): { value: R } | null {
    if (!this.engine.processor.pipeline.quiet) return null;
    const dead = this.alive();
    if (dead) throw dead;
    return { value: step(this.reads()) };
  }

  /** a locally refused request still answers in issue order, behind the session's earlier ones */
  private refuse<R>(err: unknown): Promise<R> {
    return this.engine.processor.read<R>(() => {
      throw err;
    });
  }

  /**
   * A write: refused in issue order when the session is gone or the local `check` throws (it
   * answers what the write needs, e.g. the data copied and sized); otherwise sent down the pipeline.
   */
  private write<C, R>(
    check: () => C,
    build: (checked: C, zxid: bigint, time: number) => TxnBody,
    result: (txn: Txn, checked: C, subStats: (Stat | null)[]) => R,
  ): Promise<R> {
    const dead = this.alive();
    if (dead) return this.refuse(dead);
    let checked: C;
    try {
      checked = check();
    } catch (err) {
      return this.refuse(err);
    }
    return this.engine.processor.write(
      (zxid, time) => build(checked, zxid, time),
      (txn, subStats) => result(txn, checked, subStats),
    );
  }

  /** runs a synchronous read step, or fails in order if the session is gone */
  private read<R>(compute: () => R): Promise<R> {
    const dead = this.alive();
    if (dead) return this.refuse(dead);
    return this.engine.processor.read(compute);
  }

  // ---- Session ----

  create(path: string, data?: Buffer | null, options?: CreateOptions): Promise<CreateResult> {
    return this.write(
      () => {
        checkPath(path, isSequential(options?.mode));
        checkTtl(path, options);
        checkFrame(createFrameBytes(path, data, options), `create of ${path}`, path);
        return sized(data, path, this.engine.opts.maxDataBytes);
      },
      (bytes) => prepCreate(this.ctx(), path, bytes, options),
      (txn) => {
        const p = (txn as { path: string }).path;
        return { path: p, stat: statOf(this.node(p)), zxid: txn.zxid };
      },
    );
  }

  delete(path: string, version = -1): Promise<WriteResult> {
    return this.write(
      () => checkPath(path),
      () => prepDelete(this.ctx(), path, version),
      (txn) => ({ zxid: txn.zxid }),
    );
  }

  exists(path: string, watch?: Watcher): Promise<Stat | null> {
    return this.read(() => existsStep(this.reads(), path, watch));
  }

  getData(path: string, watch?: Watcher): Promise<DataResult> {
    return this.read(() => {
      const { data, stat } = getDataStep(this.reads(), path, watch);
      // a copy: the caller may write into what it gets
      return { data: data ? Buffer.from(data) : Buffer.alloc(0), stat };
    });
  }

  setData(path: string, data: Buffer | null, version = -1): Promise<StatResult> {
    return this.write(
      () => {
        checkPath(path);
        checkFrame(setDataFrameBytes(path, data), `setData of ${path}`, path);
        return sized(data, path, this.engine.opts.maxDataBytes);
      },
      (bytes) => prepSetData(this.ctx(), path, bytes, version),
      (txn) => ({ stat: statOf(this.node(path)), zxid: txn.zxid }),
    );
  }

  getChildren(path: string, watch?: Watcher): Promise<ChildrenResult> {
    return this.read(() => getChildrenStep(this.reads(), path, watch));
  }

  getACL(path: string): Promise<AclResult> {
    return this.read(() => getAclStep(this.reads(), path));
  }

  setACL(path: string, acl: readonly ACL[], aversion = -1): Promise<StatResult> {
    return this.write(
      () => checkPath(path),
      () => prepSetAcl(this.ctx(), path, acl, aversion),
      (txn) => ({ stat: statOf(this.node(path)), zxid: txn.zxid }),
    );
  }

  /** untyped callers may put holes or nulls in `ops`: those are refused below */
  multi(ops: readonly (Op | null | undefined)[]): Promise<MultiResult> {
    return this.write(
      () => checkMulti(ops, this.engine.opts.maxDataBytes),
      (copies, zxid, time) => {
        const r = prepMulti(this.ctx(), copies, zxid, time);
        if (!r.ok) throw r.error;
        return { t: "multi", ops: r.subs };
      },
      (txn, _copies, stats) => ({ results: multiResults(txn, stats), zxid: txn.zxid }),
    );
  }

  sync(path: string): Promise<void> {
    return this.read(() => checkPath(path));
  }

  /** `mode` is checked at run time: untyped callers may pass any string */
  addWatch(path: string, mode: string, watcher: Watcher): Promise<void> {
    return this.read(() => {
      checkPath(path);
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
      checkPath(path);
      if (!this.engine.processor.watches.remove(this.watches, path, type, watcher)) {
        throw new CoordinatorError("NO_WATCHER", `no ${type} watch on ${path}`, path);
      }
    });
  }

  getEphemerals(prefix = "/"): Promise<string[]> {
    return this.read(() => getEphemeralsStep(this.reads(), prefix));
  }

  getAllChildrenNumber(path: string): Promise<number> {
    return this.read(() => getAllChildrenNumberStep(this.reads(), path));
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
