/**
 * The session's client-side watch tables, like the Java client's ZKWatchManager: the server
 * keeps one watch per (connection, path, kind) and sends one notification per change, and this
 * registry fans it out to every local Watcher function, once each, removing one-shot watchers
 * as they fire. Paths here are client paths (chroot already stripped).
 */
import type { ErrorCodeName, EventTypeName, WatchEvent, Watcher, WatcherTypeName } from "@conifer/coordinator";
import type { WatchSnapshot } from "./wire/client.ts";

export type Table = Map<string, Set<Watcher>>;

export const EVENT_NAMES: Record<number, EventTypeName> = {
  1: "NodeCreated",
  2: "NodeDeleted",
  3: "NodeDataChanged",
  4: "NodeChildrenChanged",
};

export class WatchRegistry {
  readonly data: Table = new Map();
  readonly exist: Table = new Map();
  readonly child: Table = new Map();
  readonly persistent: Table = new Map();
  readonly recursive: Table = new Map();

  add(table: Table, path: string, watcher: Watcher): void {
    let set = table.get(path);
    if (!set) table.set(path, (set = new Set()));
    set.add(watcher);
  }

  /** the watchers one server notification reaches; one-shot ones are removed */
  /**
   * A reply hook that adds `watcher` to `table` when the request succeeded: watches are
   * registered as their reply is read, so a notification right behind the reply finds them.
   */
  addOnOk(table: Table, path: string, watcher: Watcher): (code: ErrorCodeName) => void {
    return (code) => {
      if (code === "OK") this.add(table, path, watcher);
    };
  }

  /** exists' reply hook: a data watch on a node that exists, an exist watch on a missing one */
  addOnExists(path: string, watcher: Watcher): (code: ErrorCodeName) => void {
    return (code) => {
      if (code === "OK") this.add(this.data, path, watcher);
      else if (code === "NO_NODE") this.add(this.exist, path, watcher);
    };
  }

  deliver(type: EventTypeName, path: string): void {
    const targets = new Set<Watcher>();
    const take = (table: Table) => {
      const set = table.get(path);
      if (!set) return;
      table.delete(path);
      for (const w of set) targets.add(w);
    };
    const keep = (table: Table, p: string) => {
      for (const w of table.get(p) ?? []) targets.add(w);
    };
    switch (type) {
      case "NodeCreated":
      case "NodeDataChanged":
        take(this.data);
        take(this.exist);
        break;
      case "NodeDeleted":
        take(this.data);
        take(this.exist);
        take(this.child);
        break;
      case "NodeChildrenChanged":
        take(this.child);
        break;
    }
    keep(this.persistent, path);
    if (type !== "NodeChildrenChanged") {
      for (let p = path; ; p = parent(p)) {
        keep(this.recursive, p);
        if (p === "/") break;
      }
    }
    const event: WatchEvent = { type, path };
    for (const w of targets) {
      try {
        w(event);
      } catch {
        // a throwing watcher must not break delivery to the others or the connection
      }
    }
  }

  /**
   * tables a removeWatches of `type` acts on locally. Persistent watches are only dropped by
   * type Any: in 3.8 a typed removal takes away one server-side half and the rest still fires.
   */
  tablesFor(type: WatcherTypeName): Table[] {
    if (type === "Children") return [this.child];
    if (type === "Data") return [this.data, this.exist];
    return [this.data, this.exist, this.child, this.persistent, this.recursive];
  }

  has(type: WatcherTypeName, path: string, watcher?: Watcher): boolean {
    return this.tablesFor(type).some((t) => {
      const set = t.get(path);
      return set !== undefined && set.size > 0 && (watcher === undefined || set.has(watcher));
    });
  }

  remove(type: WatcherTypeName, path: string, watcher?: Watcher): void {
    for (const t of this.tablesFor(type)) {
      const set = t.get(path);
      if (!set) continue;
      if (watcher) set.delete(watcher);
      else set.clear();
      if (set.size === 0) t.delete(path);
    }
  }

  clear(): void {
    for (const t of [this.data, this.exist, this.child, this.persistent, this.recursive]) t.clear();
  }

  snapshot(toServer: (p: string) => string): WatchSnapshot {
    const keys = (t: Table) => [...t.keys()].map(toServer);
    return {
      data: keys(this.data),
      exist: keys(this.exist),
      child: keys(this.child),
      persistent: keys(this.persistent),
      persistentRecursive: keys(this.recursive),
    };
  }
}

function parent(p: string): string {
  const i = p.lastIndexOf("/");
  return i <= 0 ? "/" : p.slice(0, i);
}
