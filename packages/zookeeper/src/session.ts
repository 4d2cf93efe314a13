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
import { isSequential, planCreate, readMulti, writeCreate, writeMulti } from "./ops.ts";
import { EVENT_NAMES, WatchRegistry, type Table } from "./watches.ts";
import { WireClient, type ClientOptions } from "./wire/client.ts";
import { OpCode, readAcl, readStat, readStrings, writeAcl } from "./wire/records.ts";

export class ZooKeeperSession implements Session {
  /** @internal the connection, also reached by ./testing's partition */
  readonly client: WireClient;
  private readonly watches = new WatchRegistry();
  private readonly listeners = new Set<StateListener>();

  constructor(
    options: ClientOptions,
    private readonly chroot: string,
  ) {
    this.client = new WireClient(options, {
      onNotification: (type, serverPath) => {
        const name = EVENT_NAMES[type];
        const path = this.fromServer(serverPath);
        if (name && path !== null) this.watches.deliver(name, path);
      },
      watchSnapshot: () => this.watches.snapshot((p) => this.toServer(p)),
      onState: (state) => {
        if (state === "expired" || state === "closed") this.watches.clear();
        for (const l of [...this.listeners]) {
          try {
            l(state);
          } catch {
            // listeners must not break the connection state machine
          }
        }
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

  private toServer(path: string): string {
    if (!this.chroot) return path;
    return path === "/" ? this.chroot : this.chroot + path;
  }

  private fromServer(serverPath: string): string | null {
    if (!this.chroot) return serverPath;
    if (serverPath === this.chroot) return "/";
    if (serverPath.startsWith(this.chroot + "/")) return serverPath.slice(this.chroot.length);
    return null;
  }

  private fromServerStrict(serverPath: string): string {
    return this.fromServer(serverPath) ?? serverPath;
  }

  create(path: string, data?: Buffer | null, options?: CreateOptions): Promise<CreateResult> {
    return this.guard(() => {
      assertValidCreatePath(path, isSequential(options));
      const plan = planCreate(options, false);
      return this.client.request(
        plan.opcode,
        (w) => writeCreate(w, this.toServer(path), data, options, plan),
        (r, zxid) => ({ path: this.fromServerStrict(r.ustring() ?? ""), stat: readStat(r), zxid }),
        path,
      );
    });
  }

  delete(path: string, version = -1): Promise<WriteResult> {
    return this.guard(() => {
      assertValidPath(path);
      return this.client.request(
        OpCode.delete,
        (w) => void w.ustring(this.toServer(path)).int(version),
        (_r, zxid) => ({ zxid }),
        path,
      );
    });
  }

  exists(path: string, watch?: Watcher): Promise<Stat | null> {
    return this.guard(async () => {
      assertValidPath(path);
      try {
        return await this.client.request(
          OpCode.exists,
          (w) => void w.ustring(this.toServer(path)).bool(!!watch),
          readStat,
          path,
          watch &&
            ((code) => {
              if (code === "OK") this.watches.add(this.watches.data, path, watch);
              else if (code === "NO_NODE") this.watches.add(this.watches.exist, path, watch);
            }),
        );
      } catch (err) {
        if (!CoordinatorError.is(err, "NO_NODE")) throw err;
        return null;
      }
    });
  }

  getData(path: string, watch?: Watcher): Promise<DataResult> {
    return this.guard(() => {
      assertValidPath(path);
      return this.client.request(
        OpCode.getData,
        (w) => void w.ustring(this.toServer(path)).bool(!!watch),
        (r) => ({ data: r.buffer() ?? Buffer.alloc(0), stat: readStat(r) }),
        path,
        watch && this.registerOnOk(this.watches.data, path, watch),
      );
    });
  }

  setData(path: string, data: Buffer | null, version = -1): Promise<StatResult> {
    return this.guard(() => {
      assertValidPath(path);
      return this.client.request(
        OpCode.setData,
        (w) => void w.ustring(this.toServer(path)).buffer(data).int(version),
        (r, zxid) => ({ stat: readStat(r), zxid }),
        path,
      );
    });
  }

  getChildren(path: string, watch?: Watcher): Promise<ChildrenResult> {
    return this.guard(() => {
      assertValidPath(path);
      return this.client.request(
        OpCode.getChildren2,
        (w) => void w.ustring(this.toServer(path)).bool(!!watch),
        (r) => ({ children: readStrings(r), stat: readStat(r) }),
        path,
        watch && this.registerOnOk(this.watches.child, path, watch),
      );
    });
  }

  getACL(path: string): Promise<AclResult> {
    return this.guard(() => {
      assertValidPath(path);
      return this.client.request(
        OpCode.getACL,
        (w) => void w.ustring(this.toServer(path)),
        (r) => ({ acl: readAcl(r), stat: readStat(r) }),
        path,
      );
    });
  }

  setACL(path: string, acl: readonly ACL[], aversion = -1): Promise<StatResult> {
    return this.guard(() => {
      assertValidPath(path);
      return this.client.request(
        OpCode.setACL,
        (w) => {
          w.ustring(this.toServer(path));
          writeAcl(w, acl);
          w.int(aversion);
        },
        (r, zxid) => ({ stat: readStat(r), zxid }),
        path,
      );
    });
  }

  multi(ops: readonly Op[]): Promise<MultiResult> {
    return this.guard(() => {
      for (const op of ops) assertValidCreatePath(op.path, op.type === "create" && isSequential(op.options));
      return this.client.request(
        OpCode.multi,
        (w) => writeMulti(w, ops, (p) => this.toServer(p)),
        (r, zxid) => ({ results: readMulti(r, ops, (p) => this.fromServerStrict(p)), zxid }),
      );
    });
  }

  sync(path: string): Promise<void> {
    return this.guard(() => {
      assertValidPath(path);
      return this.client.request(
        OpCode.sync,
        (w) => void w.ustring(this.toServer(path)),
        () => undefined,
        path,
      );
    });
  }

  addWatch(path: string, mode: AddWatchModeName, watcher: Watcher): Promise<void> {
    return this.guard(() => {
      assertValidPath(path);
      const table = mode === "PERSISTENT" ? this.watches.persistent : this.watches.recursive;
      return this.client.request(
        OpCode.addWatch,
        (w) => void w.ustring(this.toServer(path)).int(AddWatchMode[mode]),
        () => undefined,
        path,
        this.registerOnOk(table, path, watcher),
      );
    });
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
      (w) => void w.ustring(this.toServer(path)).int(WatcherType[type]),
      () => undefined,
      path,
      onReply,
    );
  }

  /** a reply hook that adds `watcher` to `table` when the request succeeded */
  private registerOnOk(table: Table, path: string, watcher: Watcher): (code: ErrorCodeName) => void {
    return (code) => {
      if (code === "OK") this.watches.add(table, path, watcher);
    };
  }

  getEphemerals(prefix = "/"): Promise<string[]> {
    return this.guard(async () => {
      const serverPrefix = this.chroot ? (prefix === "/" ? `${this.chroot}/` : this.chroot + prefix) : prefix;
      const paths = await this.client.request(
        OpCode.getEphemerals,
        (w) => void w.ustring(serverPrefix),
        readStrings,
        prefix,
      );
      return paths.map((p) => this.fromServer(p)).filter((p): p is string => p !== null);
    });
  }

  getAllChildrenNumber(path: string): Promise<number> {
    return this.guard(() => {
      assertValidPath(path);
      return this.client.request(
        OpCode.getAllChildrenNumber,
        (w) => void w.ustring(this.toServer(path)),
        (r) => r.int(),
        path,
      );
    });
  }

  addAuth(scheme: string, auth: string): Promise<void> {
    return this.client.addAuth(scheme, auth);
  }

  onStateChange(listener: StateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    return this.client.close();
  }

  /** turns synchronous throws (local validation) into rejections */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}

/**
 * Like the Java client's validatePath(path, isSequential): a sequential name is checked with
 * its suffix, so "/p/" and also "/p/." or "/p/.." are valid ("/p/.0000000000" is a plain name).
 */
function assertValidCreatePath(path: string, sequential: boolean): void {
  assertValidPath(sequential ? `${path}0` : path);
}
