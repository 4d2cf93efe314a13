/**
 * The in-memory znode tree: nodes by path, the indexes the engine needs (ephemerals per
 * session, containers, TTL nodes), the live-session table, and the primitive mutations that
 * transactions are applied with. An optional journal records the first pre-image of every
 * node a multi touches, so a failed multi can be rolled back exactly.
 */
import { OPEN_ACL_UNSAFE, Perms, baseName, parentOf } from "@conifer/coordinator";
import type { ACL } from "@conifer/coordinator";
import { cloneNode, int32, isContainer, isEphemeralOwner, ttlOf } from "./znode.ts";
import type { ZNode } from "./znode.ts";

const CONFIG_ACL: readonly ACL[] = Object.freeze([{ perms: Perms.READ, id: { scheme: "world", id: "anyone" } }]);

function builtin(children: string[], acl: readonly ACL[], aversion = 0): ZNode {
  return {
    data: Buffer.alloc(0),
    acl,
    czxid: 0n,
    mzxid: 0n,
    pzxid: 0n,
    ctime: 0,
    mtime: 0,
    version: 0,
    cversion: 0,
    aversion,
    owner: 0n,
    children: new Set(children),
  };
}

/** ZooKeeper's DataTree accepts "" as an alias of the root */
function key(path: string): string {
  return path === "" ? "/" : path;
}

export class DataTree {
  readonly nodes = new Map<string, ZNode>();
  /** session id -> paths of its ephemerals */
  readonly ephemerals = new Map<bigint, Set<string>>();
  readonly containers = new Set<string>();
  readonly ttlNodes = new Set<string>();
  /** live sessions as recorded by createSession / closeSession txns: id -> timeout ms */
  readonly sessions = new Map<bigint, number>();
  lastZxid = 0n;
  private journal: Map<string, ZNode | null> | null = null;
  /** copy-on-write view for a snapshot being written: first pre-image of each node changed since */
  private frozen: Map<string, ZNode | null> | null = null;

  static fresh(): DataTree {
    const t = new DataTree();
    t.put("/", builtin(["zookeeper"], OPEN_ACL_UNSAFE));
    t.put("/zookeeper", builtin(["quota", "config"], OPEN_ACL_UNSAFE));
    t.put("/zookeeper/quota", builtin([], OPEN_ACL_UNSAFE));
    t.put("/zookeeper/config", builtin([], CONFIG_ACL, -1));
    return t;
  }

  get(path: string): ZNode | undefined {
    return this.nodes.get(key(path));
  }

  get size(): number {
    return this.nodes.size;
  }

  /** inserts or replaces a node without touching its parent (used by restore and snapshots) */
  put(path: string, node: ZNode): void {
    this.preserve(path);
    const old = this.nodes.get(path);
    if (old) this.unindex(path, old);
    this.nodes.set(path, node);
    this.index(path, node);
  }

  // ---- journal (multi rollback) ----

  beginJournal(): void {
    this.journal = new Map();
  }

  commitJournal(): void {
    this.journal = null;
  }

  rollbackJournal(): void {
    const j = this.journal;
    this.journal = null;
    if (!j) return;
    for (const [path, pre] of j) {
      const cur = this.nodes.get(path);
      if (cur) {
        this.unindex(path, cur);
        this.nodes.delete(path);
      }
      if (pre) this.put(path, pre);
    }
  }

  private touch(path: string): void {
    if (this.journal && !this.journal.has(path)) {
      const n = this.nodes.get(path);
      this.journal.set(path, n ? cloneNode(n) : null);
    }
    this.preserve(path);
  }

  private preserve(path: string): void {
    if (this.frozen && !this.frozen.has(path)) {
      const n = this.nodes.get(path);
      this.frozen.set(path, n ? cloneNode(n) : null);
    }
  }

  // ---- copy-on-write view (snapshots) ----

  /**
   * Freezes the current state for a reader that walks the tree across many event-loop turns:
   * from now on the first change to a node keeps its pre-image (null: it did not exist) in the
   * returned map. The state at this moment is then every live node whose path is not in the
   * map, plus the non-null pre-images. One view at a time; endView() stops the recording.
   */
  beginView(): ReadonlyMap<string, ZNode | null> {
    if (this.frozen) throw new Error("a snapshot view is already open");
    this.frozen = new Map();
    return this.frozen;
  }

  endView(view: ReadonlyMap<string, ZNode | null>): void {
    if (this.frozen === view) this.frozen = null;
  }

  // ---- mutations used by apply ----

  addNode(path: string, node: ZNode, zxid: bigint): void {
    const parentPath = parentOf(path);
    const parent = this.get(parentPath);
    if (!parent) throw new Error(`apply create ${path}: parent missing`);
    this.touch(key(parentPath));
    this.touch(path);
    parent.children.add(baseName(path));
    // ZooKeeper's DataTree.createNode only moves the counter (and pzxid) forward: at 2^31-1 the
    // int32 increment wraps, so the counter sticks there and the next sequential name collides
    // (NODE_EXISTS) instead of wrapping to -2147483648
    const next = int32(parent.cversion + 1);
    if (next > parent.cversion) {
      parent.cversion = next;
      parent.pzxid = zxid;
    }
    this.nodes.set(path, node);
    this.index(path, node);
  }

  removeNode(path: string, zxid: bigint): void {
    const node = this.nodes.get(path);
    const parentPath = parentOf(path);
    const parent = this.get(parentPath);
    if (!node || !parent) throw new Error(`apply delete ${path}: node or parent missing`);
    this.touch(key(parentPath));
    this.touch(path);
    parent.children.delete(baseName(path));
    parent.pzxid = zxid;
    this.unindex(path, node);
    this.nodes.delete(path);
  }

  /** returns the node after recording its pre-image, for in-place stat/data/acl updates */
  mutable(path: string): ZNode {
    const node = this.nodes.get(path);
    if (!node) throw new Error(`apply ${path}: node missing`);
    this.touch(path);
    return node;
  }

  private index(path: string, n: ZNode): void {
    if (isEphemeralOwner(n.owner)) {
      let set = this.ephemerals.get(n.owner);
      if (!set) this.ephemerals.set(n.owner, (set = new Set()));
      set.add(path);
    } else if (isContainer(n.owner)) this.containers.add(path);
    else if (ttlOf(n.owner) !== null) this.ttlNodes.add(path);
  }

  private unindex(path: string, n: ZNode): void {
    if (isEphemeralOwner(n.owner)) {
      const set = this.ephemerals.get(n.owner);
      set?.delete(path);
      if (set && set.size === 0) this.ephemerals.delete(n.owner);
    } else if (isContainer(n.owner)) this.containers.delete(path);
    else if (ttlOf(n.owner) !== null) this.ttlNodes.delete(path);
  }
}
