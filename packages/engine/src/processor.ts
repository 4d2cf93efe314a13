/**
 * The request processor: where every Session call becomes an effect. A write is validated and
 * applied to the tree at once (issue order is the linearization), logged, and settled by the
 * commit pipeline once durable - watch notifications first, then the reply. A read is answered
 * from the state at issue time and released behind every earlier outcome. Also triggers the
 * periodic snapshot, which is streamed to disk in slices while requests go on
 * (snapshot-stream.ts).
 */
import { CoordinatorError } from "@conifer/coordinator";
import type { Stat } from "@conifer/coordinator";
import { applyTxn } from "./apply.ts";
import type { DataTree } from "./data-tree.ts";
import { CommitPipeline } from "./pipeline.ts";
import { streamSnapshot } from "./snapshot-stream.ts";
import type { DurableStore } from "./storage/durable-store.ts";
import { encodeTxn } from "./txn.ts";
import type { SubTxn, Txn, TxnBody } from "./txn.ts";
import { WatchRegistry } from "./watches.ts";
import type { Notification } from "./watches.ts";
import { statOf } from "./znode.ts";
import { asError } from "./as-error.ts";

/** snapshot counters, for EngineStats */
export interface SnapshotStats {
  written: number;
  failed: number;
  inProgress: boolean;
  /** wall time of the last snapshot written, from its txn boundary to durable rename */
  lastMs: number | null;
}

/** a test's view of one snapshot's chunks (see interceptSnapshot) */
export type SnapshotInterceptor = (
  zxid: bigint,
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  closing: AbortSignal,
) => AsyncIterable<Uint8Array>;

export class RequestProcessor {
  readonly watches = new WatchRegistry();
  readonly pipeline: CommitPipeline;
  readonly snapshots: SnapshotStats = { written: 0, failed: 0, inProgress: false, lastMs: null };
  private sinceSnapshot = 0;
  private snapshotting: Promise<void> | null = null;
  private readonly closing = new AbortController();
  /**
   * @internal set only by @conifer/engine/testing (pauseNextSnapshot): wraps the next
   * snapshot's chunks on their way to disk, so a test can hold a snapshot mid-stream
   */
  interceptSnapshot: SnapshotInterceptor | null = null;
  /**
   * the zxid of the write whose watch events are being delivered right now (null otherwise): a
   * network door uses it to put a notification after the replies of requests issued before
   * that write and before those issued after it, the order ZooKeeper's server writes them in
   */
  deliveringZxid: bigint | null = null;

  constructor(
    readonly tree: DataTree,
    private readonly store: DurableStore,
    private readonly snapshotEveryTxns: number,
  ) {
    this.pipeline = new CommitPipeline(store, () => {});
  }

  /**
   * Validates and applies a write now, logs it, and settles once it is durable: watch
   * notifications first, then `afterEvents`, then the reply. A CoordinatorError thrown by
   * `build` becomes an error txn, which still consumes its zxid (§2.6).
   */
  write<R>(
    build: (zxid: bigint, time: number) => TxnBody,
    result: (txn: Txn, subStats: (Stat | null)[]) => R,
    afterEvents?: () => void,
  ): Promise<R> {
    const failure = this.pipeline.failure;
    if (failure)
      return Promise.reject(
        new CoordinatorError("SYSTEM_ERROR", `engine storage failed: ${failure.message}`, undefined, {
          cause: failure,
        }),
      );
    const zxid = this.tree.lastZxid + 1n;
    const time = Date.now();
    let body: TxnBody;
    let error: CoordinatorError | null = null;
    try {
      body = build(zxid, time);
    } catch (err) {
      if (!(err instanceof CoordinatorError)) return Promise.reject(asError(err));
      error = err;
      body = { t: "error", code: err.codeNumber };
    }
    const txn = { ...body, zxid, time };
    const subStats: (Stat | null)[] = [];
    const onSub = (op: SubTxn) => {
      const n = this.tree.get(op.path);
      subStats.push(n ? statOf(n) : null);
    };
    const triggers = applyTxn(this.tree, txn, onSub);
    const value = error ? undefined : result(txn, subStats);
    const notes: Notification[] = [];
    for (const t of triggers) notes.push(...this.watches.trigger(t.type, t.path, t.acl));
    const barrier = this.pipeline.log(zxid, encodeTxn(txn));
    this.maybeSnapshot();
    return new Promise<R>((resolve, reject) => {
      this.pipeline.then(
        () => {
          this.deliveringZxid = zxid;
          try {
            deliver(notes);
          } finally {
            this.deliveringZxid = null;
          }
          afterEvents?.();
          if (error) reject(error);
          else resolve(value as R);
        },
        reject,
        barrier,
      );
    });
  }

  /** answers a read from the current state now, released after every earlier outcome */
  read<R>(compute: () => R): Promise<R> {
    let value: R;
    try {
      value = compute();
    } catch (err) {
      return new Promise<R>((_, reject) => this.pipeline.then(() => reject(asError(err)), reject));
    }
    return new Promise<R>((resolve, reject) => this.pipeline.then(() => resolve(value), reject));
  }

  /** resolves when every outcome has been released and no snapshot is being written */
  async idle(): Promise<void> {
    await this.pipeline.idle();
    await this.snapshotting;
  }

  /** abandons a snapshot being written (its temp file is removed; the log has everything) */
  stopSnapshots(): void {
    this.closing.abort(new Error("engine is closing"));
  }

  private maybeSnapshot(): void {
    this.sinceSnapshot++;
    if (this.sinceSnapshot < this.snapshotEveryTxns || this.snapshotting || this.closing.signal.aborted) return;
    this.sinceSnapshot = 0;
    // taken now, at a txn boundary: the snapshot holds exactly the state at lastZxid
    const started = performance.now();
    const snapshot = streamSnapshot(this.tree, { signal: this.closing.signal });
    const intercept = this.interceptSnapshot;
    this.interceptSnapshot = null;
    const chunks = intercept ? intercept(snapshot.zxid, snapshot.chunks, this.closing.signal) : snapshot.chunks;
    this.snapshots.inProgress = true;
    this.snapshotting = this.store
      .writeSnapshot(snapshot.zxid, chunks)
      .then(
        () => {
          this.snapshots.written++;
          this.snapshots.lastMs = performance.now() - started;
        },
        () => {
          // not fatal: the log still holds everything; the next round tries again
          this.snapshots.failed++;
        },
      )
      .finally(() => {
        snapshot.close();
        this.snapshots.inProgress = false;
        this.snapshotting = null;
      });
  }
}

function deliver(notes: Notification[]): void {
  for (const n of notes) {
    for (const w of n.watchers) {
      try {
        w({ type: n.event.type, path: n.event.path });
      } catch {
        // a watcher's exception is its own business (ZooKeeper's event thread logs and goes on)
      }
    }
  }
}
