/**
 * Which nodes ZooKeeper's ContainerManager would remove now (§1.2): containers that have had
 * a child (stored cversion > 0) and have none left, and childless TTL nodes not modified for
 * longer than their ttl. Each is then removed by a deleteContainer txn.
 */
import type { DataTree } from "./data-tree.ts";
import { ttlOf } from "./znode.ts";

export function reapable(tree: DataTree, now: number): string[] {
  const out: string[] = [];
  for (const p of tree.containers) {
    const n = tree.get(p);
    if (n && n.cversion > 0 && n.children.size === 0) out.push(p);
  }
  for (const p of tree.ttlNodes) {
    const n = tree.get(p);
    const ttl = n ? ttlOf(n.owner) : null;
    if (n && ttl !== null && n.children.size === 0 && now - n.mtime > ttl) out.push(p);
  }
  return out;
}
