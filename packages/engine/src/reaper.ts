/**
 * Which nodes ZooKeeper's ContainerManager would remove now (§1.2): containers that have had
 * a child (stored cversion > 0) and have none left, and childless TTL nodes not modified for
 * longer than their ttl. Each is then removed by a deleteContainer txn.
 */
import type { DataTree } from "./data-tree.ts";
import { isContainer, ttlOf } from "./znode.ts";

/** is the node at `path` due for removal at `now`? (re-checked right before each removal) */
export function isReapable(tree: DataTree, path: string, now: number): boolean {
  const n = tree.get(path);
  if (!n || n.children.size !== 0) return false;
  if (isContainer(n.owner)) return n.cversion > 0;
  const ttl = ttlOf(n.owner);
  return ttl !== null && now - n.mtime > ttl;
}

export function reapable(tree: DataTree, now: number): string[] {
  const out: string[] = [];
  for (const p of tree.containers) if (isReapable(tree, p, now)) out.push(p);
  for (const p of tree.ttlNodes) if (isReapable(tree, p, now)) out.push(p);
  return out;
}
