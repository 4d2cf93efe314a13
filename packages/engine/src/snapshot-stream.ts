/**
 * A snapshot written without stopping the engine. It is taken at a txn boundary (lastZxid and
 * the session table are copied, and the tree starts keeping pre-images: DataTree.beginView),
 * then serialized in slices of a few milliseconds, each handed to the file writer, whose await
 * lets requests run in between. Requests keep changing the tree meanwhile; a node changed before
 * the walk reached it is written from its pre-image, so the file holds exactly the state at the
 * snapshot's zxid. Output bytes are the same JSON as encodeSnapshot (a node may repeat).
 */
import type { DataTree } from "./data-tree.ts";
import { SNAPSHOT_TAIL, encodeNodeEntry, snapshotHead } from "./snapshot.ts";

export interface SnapshotStream {
  zxid: bigint;
  /** synchronous slices: the consumer awaits its own writes between them */
  chunks: Iterable<Uint8Array>;
  /** stops recording pre-images; idempotent, and implied once `chunks` is exhausted or fails */
  close(): void;
}

export interface StreamOptions {
  /** serialize for about this long before yielding a chunk; default 4 ms */
  sliceMs?: number;
  /** when aborted the stream throws at its next slice (the engine is closing) */
  signal?: AbortSignal;
}

export function streamSnapshot(tree: DataTree, options: StreamOptions = {}): SnapshotStream {
  const sliceMs = options.sliceMs ?? 4;
  const zxid = tree.lastZxid;
  const head = snapshotHead(zxid, [...tree.sessions]);
  const frozen = tree.beginView();
  const close = () => tree.endView(frozen);

  function* chunks(): Generator<Uint8Array> {
    try {
      let parts: string[] = [head];
      let first = true;
      let sliceStart = performance.now();
      let count = 0;
      function* flushIfDue(): Generator<Uint8Array> {
        if ((++count & 31) !== 0 || performance.now() - sliceStart < sliceMs) return;
        options.signal?.throwIfAborted();
        yield Buffer.from(parts.join(""), "utf8");
        parts = [];
        sliceStart = performance.now();
      }
      const add = (path: string, entry: Parameters<typeof encodeNodeEntry>[1]) => {
        parts.push(first ? encodeNodeEntry(path, entry) : "," + encodeNodeEntry(path, entry));
        first = false;
      };
      // live nodes not changed since the view began are exactly as they were at `zxid`;
      // Map iteration tolerates the inserts and deletes that happen while we are suspended
      for (const [path, node] of tree.nodes) {
        if (frozen.has(path)) continue;
        add(path, node);
        yield* flushIfDue();
      }
      // then the pre-images, which include nodes deleted since. Those recorded from now on are
      // of nodes the walk already wrote: only the first `due` (insertion order) are needed
      const due = frozen.size;
      let seen = 0;
      for (const [path, pre] of frozen) {
        if (++seen > due) break;
        if (pre === null) continue;
        add(path, pre);
        yield* flushIfDue();
      }
      parts.push(SNAPSHOT_TAIL);
      yield Buffer.from(parts.join(""), "utf8");
    } finally {
      close();
    }
  }
  return { zxid, chunks: chunks(), close };
}
