/**
 * Value types of the ZooKeeper data model, as seen through the Coordinator contract.
 * zxids and session ids are 64-bit, so they are bigint; everything else fits a number.
 */

/** ZooKeeper's Stat, field for field (§1.4 of the protocol reference). */
export interface Stat {
  czxid: bigint;
  mzxid: bigint;
  pzxid: bigint;
  /** ms since the epoch */
  ctime: number;
  mtime: number;
  version: number;
  /** reported as ZooKeeper does: 2 * childCreations - numChildren */
  cversion: number;
  aversion: number;
  /** session id for ephemerals, 0n otherwise (also 0n for containers and TTL nodes) */
  ephemeralOwner: bigint;
  dataLength: number;
  numChildren: number;
}

/** CreateMode flag values, as on the wire. */
export const CreateMode = {
  PERSISTENT: 0,
  EPHEMERAL: 1,
  PERSISTENT_SEQUENTIAL: 2,
  EPHEMERAL_SEQUENTIAL: 3,
  CONTAINER: 4,
  PERSISTENT_WITH_TTL: 5,
  PERSISTENT_SEQUENTIAL_WITH_TTL: 6,
} as const;
export type CreateModeName = keyof typeof CreateMode;
export type CreateModeFlag = (typeof CreateMode)[CreateModeName];

export const Perms = { READ: 1, WRITE: 2, CREATE: 4, DELETE: 8, ADMIN: 16, ALL: 31 } as const;

export interface Id {
  scheme: string;
  id: string;
}
export interface ACL {
  perms: number;
  id: Id;
}

export const OPEN_ACL_UNSAFE: readonly ACL[] = Object.freeze([
  { perms: Perms.ALL, id: { scheme: "world", id: "anyone" } },
]);
export const CREATOR_ALL_ACL: readonly ACL[] = Object.freeze([{ perms: Perms.ALL, id: { scheme: "auth", id: "" } }]);
export const READ_ACL_UNSAFE: readonly ACL[] = Object.freeze([
  { perms: Perms.READ, id: { scheme: "world", id: "anyone" } },
]);

export interface CreateOptions {
  /** default PERSISTENT */
  mode?: CreateModeName;
  /** default OPEN_ACL_UNSAFE */
  acl?: readonly ACL[];
  /** required for the *_WITH_TTL modes, in ms */
  ttl?: number;
}

/**
 * What every write answers: the zxid it was applied at, as ZooKeeper's reply header carries it
 * (and etcd's response header its revision), so a caller keys its own bookkeeping (history rows)
 * on the write itself instead of reading the zxid back from a Stat afterwards.
 */
export interface WriteResult {
  zxid: bigint;
}

export interface CreateResult extends WriteResult {
  /** the actual path (differs from the requested one for sequential nodes) */
  path: string;
  stat: Stat;
}

/** setData and setACL: the node's Stat after the write (for setACL, mzxid is NOT the write's zxid) */
export interface StatResult extends WriteResult {
  stat: Stat;
}

/** multi: the per-op results and the one zxid the whole transaction was applied at */
export interface MultiResult extends WriteResult {
  results: OpResult[];
}

export interface DataResult {
  data: Buffer;
  stat: Stat;
}

export interface ChildrenResult {
  children: string[];
  stat: Stat;
}

export interface AclResult {
  acl: ACL[];
  stat: Stat;
}

/** multi sub-operations */
export type Op =
  | { type: "create"; path: string; data?: Buffer; options?: CreateOptions }
  | { type: "delete"; path: string; version?: number }
  | { type: "setData"; path: string; data: Buffer; version?: number }
  | { type: "check"; path: string; version: number };

/** Per-op results of a successful multi. */
export type OpResult =
  | { type: "create"; path: string; stat?: Stat }
  | { type: "delete" }
  | { type: "setData"; stat: Stat }
  | { type: "check" };

export const EventType = {
  NodeCreated: 1,
  NodeDeleted: 2,
  NodeDataChanged: 3,
  NodeChildrenChanged: 4,
} as const;
export type EventTypeName = keyof typeof EventType;

export interface WatchEvent {
  type: EventTypeName;
  /** path as the client addressed it (chroot stripped) */
  path: string;
}

export type Watcher = (event: WatchEvent) => void;

export const AddWatchMode = { PERSISTENT: 0, PERSISTENT_RECURSIVE: 1 } as const;
export type AddWatchModeName = keyof typeof AddWatchMode;

export const WatcherType = { Children: 1, Data: 2, Any: 3 } as const;
export type WatcherTypeName = keyof typeof WatcherType;

/**
 * Connection states a session goes through, as ZooKeeper clients report them.
 * "expired" and "closed" are terminal: the session and its ephemerals are gone.
 */
export type SessionState = "connected" | "disconnected" | "expired" | "closed";
