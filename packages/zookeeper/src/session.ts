/**
 * The Coordinator `Session` over one ZooKeeper session: maps each operation to its opcode and
 * records, applies the chroot in both directions, validates paths locally like the Java client
 * (so a bad path is BAD_ARGUMENTS before anything is sent), and keeps the watch registry.
 * Watches are registered (and removed) as their reply is read, in reply order, like the Java
 * client's WatchRegistration: a notification right behind the reply then finds its watcher.
 */
import {
  AddWatchMode,
  assertValidPath,
  CoordinatorError,
  WatcherType,
  type ACL,
  type AclResult,
  type AddWatchModeName,
  type ChildrenResult,
  type CreateOptions,
  type CreateResult,
  type DataResult,
  type ErrorCodeName,
  type MultiResult,
  type Op,
  type Session,
  type SessionState,
  type Stat,
  type StatResult,
  type StateListener,
  type Watcher,
  type WatcherTypeName,
  type WriteResult,
} from "@conifer/coordinator";
import { ChrootPaths } from "./chroot-paths.ts";
import { assertValidCreatePath, isSequential, planCreate, readMulti, writeCreate, writeMulti } from "./ops.ts";
import { StateListeners } from "./state-listeners.ts";
import { EVENT_NAMES, WatchRegistry } from "./watches.ts";
import { WireClient, type ClientOptions } from "./wire/client.ts";
import type { JuteReader, JuteWriter } from "./wire/jute.ts";
import { OpCode, readAcl, readStat, readStrings, writeAcl } from "./wire/records.ts";

export class ZooKeeperSession implements Session {
  /** @internal the connection, also reached by ./testing's partition */
  readonly client: WireClient;
  private readonly watches = new WatchRegistry();
  private readonly listeners = new StateListeners();
  private readonly paths: ChrootPaths;

  constructor(options: ClientOptions, chroot: string) {
    this.paths = new ChrootPaths(chroot);
    this.client = new WireClient(options, {
      onNotification: (type, serverPath) => {
        const name = EVENT_NAMES[type];
        const path = this.paths.fromServer(serverPath);
        if (name && path !== null) this.watches.deliver(name, path);
      },
      watchSnapshot: () => this.watches.snapshot((p) => this.paths.toServer(p)),
      onState: (state) => {
        if (state === "expired" || state === "closed") this.watches.clear();
        this.listeners.emit(state);
      },
    });
  }

  /** creates the session on the ensemble */
  start(auth: { scheme: string; auth: string }[]): Promise<void> {
    return this.client.start(auth);
  }

  get sessionId(): bigint {
    return this.client.sessionId;
  }
  get timeoutMs(): number {
    return this.client.negotiatedTimeoutMs;
  }
  get state(): SessionState {
    const s = this.client.state;
    return s === "connecting" ? "disconnected" : s;
  }
  /** "host:port" of the member this session currently talks to, or null while disconnected */
  get connectedTo(): string | null {
    const hp = this.client.connectedTo;
    return hp ? `${hp.host}:${hp.port}` : null;
  }
  /** drops the TCP connection; the session re-attaches to a member (used by failover tests) */
  dropConnection(): void {
    this.client.dropConnection();
  }

  create(path: string, data?: Buffer | null, options?: CreateOptions): Promise<CreateResult> {
    return this.guard(() => {
      assertValidCreatePath(path, isSequential(options));
      const plan = planCreate(options, false);
      return this.client.request(
        plan.opcode,
        (w) => writeCreate(w, this.paths.toServer(path), data, options, plan),
        (r, zxid) => ({ path: this.paths.fromServerStrict(r.ustring() ?? ""), stat: readStat(r), zxid }),
        path,
      );
    });
  }

  delete(path: string, version = -1): Promise<WriteResult> {
    return this.onPath(
      OpCode.delete,
      path,
      (w) => void w.int(version),
      (_r, zxid) => ({ zxid }),
    );
  }

  exists(path: string, watch?: Watcher): Promise<Stat | null> {
    return this.guard(async () => {
      assertValidPath(path);
      try {
        return await this.client.request(
          OpCode.exists,
          (w) => void w.ustring(this.paths.toServer(path)).bool(!!watch),
          readStat,
          path,
          watch && this.watches.addOnExists(path, watch),
        );
      } catch (err) {
        if (!CoordinatorError.is(err, "NO_NODE")) throw err;
        return null;
      }
    });
  }

  getData(path: string, watch?: Watcher): Promise<DataResult> {
    return this.onPath(
      OpCode.getData,
      path,
      (w) => void w.bool(!!watch),
      (r) => ({ data: r.buffer() ?? Buffer.alloc(0), stat: readStat(r) }),
      watch && this.watches.addOnOk(this.watches.data, path, watch),
    );
  }

  setData(path: string, data: Buffer | null, version = -1): Promise<StatResult> {
    return this.onPath(
      OpCode.setData,
      path,
      (w) => void w.buffer(data).int(version),
      (r, zxid) => ({ stat: readStat(r), zxid }),
    );
  }

  getChildren(path: string, watch?: Watcher): Promise<ChildrenResult> {
    return this.onPath(
      OpCode.getChildren2,
      path,
      (w) => void w.bool(!!watch),
      (r) => ({ children: readStrings(r), stat: readStat(r) }),
      watch && this.watches.addOnOk(this.watches.child, path, watch),
    );
  }

  getACL(path: string): Promise<AclResult> {
    return this.onPath(
      OpCode.getACL,
      path,
      () => {},
      (r) => ({ acl: readAcl(r), stat: readStat(r) }),
    );
  }

  setACL(path: string, acl: readonly ACL[], aversion = -1): Promise<StatResult> {
    return this.onPath(
      OpCode.setACL,
      path,
      (w) => {
        writeAcl(w, acl);
        w.int(aversion);
      },
      (r, zxid) => ({ stat: readStat(r), zxid }),
    );
  }

  multi(ops: readonly Op[]): Promise<MultiResult> {
    return this.guard(() => {
      for (const op of ops) assertValidCreatePath(op.path, op.type === "create" && isSequential(op.options));
      return this.client.request(
        OpCode.multi,
        (w) => writeMulti(w, ops, (p) => this.paths.toServer(p)),
        (r, zxid) => ({ results: readMulti(r, ops, (p) => this.paths.fromServerStrict(p)), zxid }),
      );
    });
  }

  sync(path: string): Promise<void> {
    return this.onPath(
      OpCode.sync,
      path,
      () => {},
      () => undefined,
    );
  }

  addWatch(path: string, mode: AddWatchModeName, watcher: Watcher): Promise<void> {
    const table = mode === "PERSISTENT" ? this.watches.persistent : this.watches.recursive;
    return this.onPath(
      OpCode.addWatch,
      path,
      (w) => void w.int(AddWatchMode[mode]),
      () => undefined,
      this.watches.addOnOk(table, path, watcher),
    );
  }

  removeWatches(path: string, type: WatcherTypeName, watcher?: Watcher): Promise<void> {
    return this.guard(async () => {
      assertValidPath(path);
      if (watcher) {
        if (!this.watches.has(type, path, watcher)) throw new CoordinatorError("NO_WATCHER", undefined, path);
        this.watches.remove(type, path, watcher);
        // the server-side watch is shared by all local watchers: drop it only with the last one
        if (this.watches.has(type, path)) return;
        await this.sendRemove(path, type).catch((err: unknown) => {
          if (!CoordinatorError.is(err, "NO_WATCHER")) throw err;
        });
        return;
      }
      // dropped as the reply is read: a watch set by a request issued after this one stays
      await this.sendRemove(path, type, (code) => {
        if (code === "OK") this.watches.remove(type, path);
      });
    });
  }

  private sendRemove(path: string, type: WatcherTypeName, onReply?: (code: ErrorCodeName) => void): Promise<void> {
    return this.client.request(
      OpCode.removeWatches,
      (w) => void w.ustring(this.paths.toServer(path)).int(WatcherType[type]),
      () => undefined,
      path,
      onReply,
    );
  }

  getEphemerals(prefix = "/"): Promise<string[]> {
    return this.guard(async () => {
      const serverPrefix = this.paths.prefixToServer(prefix);
      const paths = await this.client.request(
        OpCode.getEphemerals,
        (w) => void w.ustring(serverPrefix),
        readStrings,
        prefix,
      );
      return paths.map((p) => this.paths.fromServer(p)).filter((p): p is string => p !== null);
    });
  }

  getAllChildrenNumber(path: string): Promise<number> {
    return this.onPath(
      OpCode.getAllChildrenNumber,
      path,
      () => {},
      (r) => r.int(),
    );
  }

  addAuth(scheme: string, auth: string): Promise<void> {
    return this.client.addAuth(scheme, auth);
  }

  onStateChange(listener: StateListener): () => void {
    return this.listeners.add(listener);
  }

  close(): Promise<void> {
    return this.client.close();
  }

  /**
   * A request on one path: the path is checked locally, sent with the chroot applied, and
   * `rest` writes the rest of the record.
   */
  private onPath<T>(
    op: number,
    path: string,
    rest: (w: JuteWriter) => void,
    read: (r: JuteReader, zxid: bigint) => T,
    onReply?: (code: ErrorCodeName) => void,
  ): Promise<T> {
    return this.guard(() => {
      assertValidPath(path);
      return this.client.request(
        op,
        (w) => {
          w.ustring(this.paths.toServer(path));
          rest(w);
        },
        read,
        path,
        onReply,
      );
    });
  }

  /** turns synchronous throws (local validation) into rejections */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}
