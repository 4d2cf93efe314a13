/**
 * The Coordinator contract: the ZooKeeper operations Conifer needs, one interface that both the
 * embedded engine and the Apache ZooKeeper adapter implement, and that the contract test-suite
 * (./contract) exercises without knowing which one it talks to.
 *
 * A `Backend` hands out `Session`s. A Session is one ZooKeeper session: its ephemerals live as
 * long as it does, its watches are delivered to it, and its requests take effect in the order
 * they were issued (FIFO), even when the caller does not await each one.
 */
import type {
  ACL,
  AclResult,
  AddWatchModeName,
  ChildrenResult,
  CreateOptions,
  CreateResult,
  DataResult,
  MultiResult,
  Op,
  SessionState,
  Stat,
  StatResult,
  Watcher,
  WatcherTypeName,
  WriteResult,
} from "./types.ts";

export interface SessionOptions {
  /** requested session timeout in ms; the backend may clamp it (ZooKeeper: [2, 20] ticks) */
  timeoutMs?: number;
  /** credentials added before the first request, e.g. [{ scheme: "digest", auth: "user:pw" }] */
  auth?: { scheme: string; auth: string }[];
}

/** Fired for connection-state changes; "expired" means ephemerals and watches are gone. */
export type StateListener = (state: SessionState) => void;

export interface Session {
  /** 64-bit session id (ephemeralOwner of this session's ephemerals) */
  readonly sessionId: bigint;
  /** the negotiated timeout in ms */
  readonly timeoutMs: number;
  readonly state: SessionState;

  // Every write answers the zxid it was applied at (`zxid`); a failed one throws and has none.
  create(path: string, data?: Buffer | null, options?: CreateOptions): Promise<CreateResult>;
  /** version -1 (default) matches any version; the zxid is the parent's pzxid right after */
  delete(path: string, version?: number): Promise<WriteResult>;
  /** null when the node does not exist; `watch` is registered in both cases (exist/data watch) */
  exists(path: string, watch?: Watcher): Promise<Stat | null>;
  /** throws NO_NODE; the data watch is only set on success */
  getData(path: string, watch?: Watcher): Promise<DataResult>;
  /** version -1 (default) matches any version */
  setData(path: string, data: Buffer | null, version?: number): Promise<StatResult>;
  /** child names (unordered) and the parent's Stat; the child watch is only set on success */
  getChildren(path: string, watch?: Watcher): Promise<ChildrenResult>;
  getACL(path: string): Promise<AclResult>;
  /** the Stat's mzxid stays that of the last data change: only `zxid` says when this applied */
  setACL(path: string, acl: readonly ACL[], aversion?: number): Promise<StatResult>;
  /** all-or-nothing, one zxid for every sub-op; on failure throws CoordinatorError with `opCodes` set */
  multi(ops: readonly Op[]): Promise<MultiResult>;
  /** waits until this session has seen every write committed before the call */
  sync(path: string): Promise<void>;
  /** persistent (mode PERSISTENT) or persistent-recursive watch; the node need not exist */
  addWatch(path: string, mode: AddWatchModeName, watcher: Watcher): Promise<void>;
  /**
   * removes this session's watches of `type` on `path` (all watchers of it; or only `watcher`
   * when given); NO_WATCHER when there is none
   */
  removeWatches(path: string, type: WatcherTypeName, watcher?: Watcher): Promise<void>;
  /** this session's ephemerals whose path starts with prefix ("/" = all) */
  getEphemerals(prefix?: string): Promise<string[]>;
  /** number of all descendants of path */
  getAllChildrenNumber(path: string): Promise<number>;
  addAuth(scheme: string, auth: string): Promise<void>;

  onStateChange(listener: StateListener): () => void;
  /** ends the session: its ephemerals are deleted and its watches dropped */
  close(): Promise<void>;
}

/** What the console's cluster screen shows about the backend. */
export interface BackendMember {
  address: string;
  role: "standalone" | "leader" | "follower" | "observer" | "embedded" | "unreachable";
  zxid?: bigint;
  connections?: number;
  latencyMs?: { min: number; avg: number; max: number };
  nodeCount?: number;
  error?: string;
}

export interface BackendInfo {
  kind: "embedded" | "zookeeper";
  /** e.g. the data dir for the engine, the connect string (no credentials) for ZooKeeper */
  description: string;
  members: BackendMember[];
  /** extra facts worth showing, e.g. { sessions: 3, watches: 12, dataDir: "/var/lib/conifer" } */
  details: Record<string, string | number>;
  /** false when the backend cannot currently accept writes (no quorum) */
  writable: boolean;
}

export interface Backend {
  readonly kind: BackendInfo["kind"];
  /** maximum data size per node in bytes (ZooKeeper: jute.maxbuffer minus request overhead) */
  readonly maxDataBytes: number;
  connect(options?: SessionOptions): Promise<Session>;
  info(): Promise<BackendInfo>;
  /** releases every resource; sessions still open are closed */
  close(): Promise<void>;
}
