/**
 * Watch bookkeeping for all sessions (§3). ZooKeeper keeps server-side watch tables per
 * connection and path, and the client library keeps the watcher callbacks; here both live in
 * one place. A change yields at most ONE notification per session, carrying every watcher
 * callback of that session the change matches (the client-side fan-out of ZKWatchManager).
 * A session that may not READ the changed node (the parent, for NodeChildrenChanged) is not
 * told at all - ZooKeeper's fix for CVE-2024-23944 - but its one-shot watches are consumed all
 * the same, since ZooKeeper removes them before its connection checks the ACL.
 */
import type { ACL, EventTypeName, Watcher, WatcherTypeName } from "@conifer/coordinator";

export type WatchKind = "data" | "exist" | "child" | "persistent" | "recursive";

const KINDS: readonly WatchKind[] = ["data", "exist", "child", "persistent", "recursive"];

/** the watches one session holds, by kind then path */
export class SessionWatches {
  /** `mayRead(acl)`: whether the session may be told of a change to a node with this ACL */
  constructor(readonly mayRead: (acl: readonly ACL[]) => boolean) {}

  readonly tables: Record<WatchKind, Map<string, Set<Watcher>>> = {
    data: new Map(),
    exist: new Map(),
    child: new Map(),
    persistent: new Map(),
    recursive: new Map(),
  };

  hasAny(path: string): boolean {
    return KINDS.some((k) => this.tables[k].has(path));
  }
}

export interface Notification {
  owner: SessionWatches;
  event: { type: EventTypeName; path: string };
  watchers: Watcher[];
}

/** ancestors of a path including itself, deepest first: /a/b -> /a/b, /a, / */
function* selfAndAncestors(path: string): Generator<string> {
  let p = path;
  for (;;) {
    yield p;
    if (p === "/") return;
    const i = p.lastIndexOf("/");
    p = i <= 0 ? "/" : p.slice(0, i);
  }
}

/**
 * what a typed removeWatches takes, as ZooKeeper's fix for ZOOKEEPER-4471 does: Children and
 * Data only the one-shot watches of that type, persistent and recursive ones only Any (3.8.0
 * took Children or Data out of a persistent watch and left the other half firing)
 */
function kindsFor(type: WatcherTypeName): readonly WatchKind[] {
  if (type === "Children") return ["child"];
  if (type === "Data") return ["data", "exist"];
  return KINDS;
}

export class WatchRegistry {
  /** path -> sessions holding any watch on exactly that path */
  private byPath = new Map<string, Set<SessionWatches>>();
  private recursiveCount = 0;
  private total = 0;

  get count(): number {
    return this.total;
  }

  add(owner: SessionWatches, kind: WatchKind, path: string, watcher: Watcher): void {
    const table = owner.tables[kind];
    let set = table.get(path);
    if (!set) table.set(path, (set = new Set()));
    if (set.has(watcher)) return;
    set.add(watcher);
    this.total++;
    if (kind === "recursive") this.recursiveCount++;
    let owners = this.byPath.get(path);
    if (!owners) this.byPath.set(path, (owners = new Set()));
    owners.add(owner);
  }

  /** takes (one-shot) or reads (persistent) the watchers of kind on path into `into` */
  private collect(owner: SessionWatches, kind: WatchKind, path: string, into: Set<Watcher>, consume: boolean): void {
    const set = owner.tables[kind].get(path);
    if (!set) return;
    for (const w of set) into.add(w);
    if (consume) this.drop(owner, kind, path, set.size);
  }

  private drop(owner: SessionWatches, kind: WatchKind, path: string, n: number): void {
    owner.tables[kind].delete(path);
    this.total -= n;
    if (kind === "recursive") this.recursiveCount -= n;
    if (!owner.hasAny(path)) {
      const owners = this.byPath.get(path);
      owners?.delete(owner);
      if (owners && owners.size === 0) this.byPath.delete(path);
    }
  }

  /** `acl`: the ACL the session needs READ on to be told (see the module comment) */
  trigger(type: EventTypeName, path: string, acl: readonly ACL[]): Notification[] {
    const found = new Map<SessionWatches, Set<Watcher>>();
    const bucket = (o: SessionWatches) => {
      let s = found.get(o);
      if (!s) found.set(o, (s = new Set()));
      return s;
    };
    for (const owner of [...(this.byPath.get(path) ?? [])]) {
      const into = bucket(owner);
      if (type === "NodeCreated" || type === "NodeDataChanged") {
        this.collect(owner, "data", path, into, true);
        this.collect(owner, "exist", path, into, true);
      } else if (type === "NodeDeleted") {
        this.collect(owner, "data", path, into, true);
        this.collect(owner, "exist", path, into, true);
        this.collect(owner, "child", path, into, true);
      } else {
        this.collect(owner, "child", path, into, true);
      }
      this.collect(owner, "persistent", path, into, false);
    }
    if (this.recursiveCount > 0 && type !== "NodeChildrenChanged") {
      for (const p of selfAndAncestors(path)) {
        for (const owner of this.byPath.get(p) ?? []) {
          if (owner.tables.recursive.has(p)) this.collect(owner, "recursive", p, bucket(owner), false);
        }
      }
    }
    const out: Notification[] = [];
    for (const [owner, ws] of found) {
      if (ws.size > 0 && owner.mayRead(acl)) out.push({ owner, event: { type, path }, watchers: [...ws] });
    }
    return out;
  }

  /**
   * removeWatches: Children removes child watches, Data data and exist ones, Any all of them,
   * persistent and recursive included (see kindsFor). Returns whether anything was removed.
   */
  remove(owner: SessionWatches, path: string, type: WatcherTypeName, watcher?: Watcher): boolean {
    const kinds = kindsFor(type);
    let removed = false;
    for (const kind of kinds) {
      const set = owner.tables[kind].get(path);
      if (!set) continue;
      if (watcher === undefined) {
        this.drop(owner, kind, path, set.size);
        removed = true;
      } else if (set.has(watcher)) {
        if (set.size === 1) this.drop(owner, kind, path, 1);
        else {
          set.delete(watcher);
          this.total--;
          if (kind === "recursive") this.recursiveCount--;
        }
        removed = true;
      }
    }
    return removed;
  }

  /** whether the session holds a watch of `type` on path (checkWatches) */
  has(owner: SessionWatches, path: string, type: WatcherTypeName): boolean {
    const kinds = kindsFor(type);
    return kinds.some((k) => owner.tables[k].has(path));
  }

  dropSession(owner: SessionWatches): void {
    for (const kind of KINDS) {
      for (const [path, set] of [...owner.tables[kind]]) this.drop(owner, kind, path, set.size);
    }
  }
}
