/**
 * One znode as the engine stores it, and how its Stat is reported. The stored fields follow
 * ZooKeeper's DataNode: `cversion` holds the child-creation counter C (also the sequential
 * suffix source) and the reported cversion is 2*C - numChildren (§1.4); `owner` holds the raw
 * ephemeralOwner including the container and TTL markers, which are reported as 0.
 */
import type { ACL, Stat } from "@conifer/coordinator";

export interface ZNode {
  /** null and empty differ on the wire; both report dataLength 0 */
  data: Buffer | null;
  acl: readonly ACL[];
  czxid: bigint;
  mzxid: bigint;
  pzxid: bigint;
  ctime: number;
  mtime: number;
  version: number;
  /** stored child-creation counter C, an int32 */
  cversion: number;
  aversion: number;
  /** raw ephemeralOwner: session id, CONTAINER_OWNER, TTL_MARKER | ttl, or 0 */
  owner: bigint;
  children: Set<string>;
}

export const CONTAINER_OWNER = 0x8000000000000000n;
const TTL_MARKER = 0xff00000000000000n;
const TTL_VALUE_MASK = 0x000000ffffffffffn;
export const MAX_TTL_MS = 2 ** 40 - 1;

export function ttlOwner(ttlMs: number): bigint {
  return TTL_MARKER | BigInt(ttlMs);
}

export function isContainer(owner: bigint): boolean {
  return owner === CONTAINER_OWNER;
}

export function ttlOf(owner: bigint): number | null {
  return (owner & TTL_MARKER) === TTL_MARKER ? Number(owner & TTL_VALUE_MASK) : null;
}

/** a node owned by a session: neither persistent nor a container nor a TTL node */
export function isEphemeralOwner(owner: bigint): boolean {
  return owner !== 0n && !isContainer(owner) && ttlOf(owner) === null;
}

export function int32(n: number): number {
  return n | 0;
}

/** `%010d` as Java formats it, including the negative values after the int32 counter wraps */
export function sequenceSuffix(counter: number): string {
  return counter < 0 ? `-${String(-counter).padStart(9, "0")}` : String(counter).padStart(10, "0");
}

export function statOf(n: ZNode): Stat {
  return {
    czxid: n.czxid,
    mzxid: n.mzxid,
    pzxid: n.pzxid,
    ctime: n.ctime,
    mtime: n.mtime,
    version: n.version,
    cversion: int32(2 * n.cversion - n.children.size),
    aversion: n.aversion,
    ephemeralOwner: isEphemeralOwner(n.owner) ? n.owner : 0n,
    dataLength: n.data ? n.data.length : 0,
    numChildren: n.children.size,
  };
}

export function cloneNode(n: ZNode): ZNode {
  return { ...n, children: new Set(n.children) };
}
