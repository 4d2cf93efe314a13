/**
 * Which nodes ZooKeeper's ContainerManager would remove now (§1.2): containers that have had
 * a child (stored cversion > 0) and have none left, and childless TTL nodes not modified for
 * longer than their ttl. Each is then removed by a deleteContainer txn; Reaper runs such a pass.
 */
import type { DataTree } from "./data-tree.ts";
import type { RequestProcessor } from "./processor.ts";
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

/** containers / TTL nodes removed per reaper batch, so a large pass does not stall the event loop */
const REAP_BATCH = 500;

/** The engine's reaper task: one pass removes what is due now, in batches that yield in between. */
export class Reaper {
  constructor(
    private readonly processor: RequestProcessor,
    private readonly isClosed: () => boolean,
  ) {}

  /** removes every node due now; resolves with the number removed once their txns are durable */
  async pass(): Promise<number> {
    const tree = this.processor.tree;
    const now = Date.now();
    const victims = reapable(tree, now);
    const writes: Promise<void>[] = [];
    for (const [i, path] of victims.entries()) {
      if (i > 0 && i % REAP_BATCH === 0) await new Promise((r) => setImmediate(r));
      if (this.isClosed()) break;
      // the tree moved on while we yielded: a container may have got a child again
      if (!isReapable(tree, path, now)) continue;
      writes.push(
        this.processor.write(
          () => ({ t: "deleteContainer", path }),
          () => undefined,
        ),
      );
    }
    await Promise.all(writes);
    return writes.length;
  }
}
