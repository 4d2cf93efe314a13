/**
 * Rebuilding the tree when an engine opens its data dir: the newest valid snapshot, then every
 * logged txn above it, as ZooKeeper's FileTxnSnapLog.restore does; and what recovery found,
 * for EngineStats.
 */
import { applyTxn } from "./apply.ts";
import { DataTree } from "./data-tree.ts";
import { decodeSnapshot } from "./snapshot.ts";
import type { RecoveredState } from "./storage/durable-store.ts";
import { decodeTxn } from "./txn.ts";

export interface RecoverySummary {
  snapshotZxid: bigint | null;
  replayedTxns: number;
  truncatedBytes: number;
  issues: number;
}

export function replay(recovered: RecoveredState): { tree: DataTree; summary: RecoverySummary } {
  const tree = recovered.snapshot ? decodeSnapshot(recovered.snapshot.payload) : DataTree.fresh();
  let replayed = 0;
  for (const r of recovered.records) {
    if (r.zxid <= tree.lastZxid) continue;
    applyTxn(tree, decodeTxn(r.payload));
    replayed++;
  }
  return {
    tree,
    summary: {
      snapshotZxid: recovered.snapshot?.zxid ?? null,
      replayedTxns: replayed,
      truncatedBytes: recovered.truncatedBytes,
      issues: recovered.issues.length,
    },
  };
}
