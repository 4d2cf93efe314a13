/**
 * The engine's durable storage: a transaction log of framed records in segments plus
 * periodic snapshots, in one data dir, after ZooKeeper's FileTxnLog/FileSnap. open() recovers
 * (see recovery.ts), append() is group-committed (see log-writer.ts), writeSnapshot() is
 * atomic and rolls the log, then purges what retention no longer needs.
 *
 * A rejected append is "unknown", like a lost connection in ZooKeeper: the record may or may
 * not be there after reopening, but it was never acknowledged. After an IO failure the store
 * refuses further writes; the engine should stop serving writes and reopen.
 */
import { DirLock } from "./dir-lock.ts";
import { StorageError } from "./errors.ts";
import { ensureDir } from "./files.ts";
import { LogWriter } from "./log-writer.ts";
import { purge } from "./purge.ts";
import { recover, type SegmentInfo } from "./recovery.ts";
import { writeSnapshotFile, type SnapshotPayload } from "./snapshot-file.ts";
import type { LogRecord, RecoveredState, StorageOptions, StorageStats } from "./types.ts";

export type { LogRecord, RecoveredState, RecoveryIssue, StorageOptions, StorageStats } from "./types.ts";
export { StorageError, type StorageErrorCode } from "./errors.ts";

export class DurableStore {
  private readonly writer: LogWriter;
  /** snapshots are written one at a time, in call order */
  private snapshotChain: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly dir: string,
    private readonly fsync: boolean,
    private readonly retain: number,
    private readonly segments: SegmentInfo[],
    lastZxid: bigint,
    private readonly lock: DirLock,
  ) {
    this.writer = new LogWriter(dir, fsync, lastZxid, (segment) => this.segments.push(segment));
  }

  static async open(options: StorageOptions): Promise<{ store: DurableStore; recovered: RecoveredState }> {
    const fsync = options.fsync ?? true;
    const retain = options.snapRetainCount ?? 3;
    if (!Number.isInteger(retain) || retain < 1) {
      throw new StorageError("INVALID_ARGUMENT", `snapRetainCount must be an integer >= 1, got ${retain}`);
    }
    let lock: DirLock | null = null;
    try {
      await ensureDir(options.dir, fsync);
      // before reading anything: a live owner may be appending right now
      lock = await DirLock.acquire(options.dir);
      const { state, segments, lastZxid } = await recover(options.dir, fsync);
      return { store: new DurableStore(options.dir, fsync, retain, segments, lastZxid, lock), recovered: state };
    } catch (error) {
      await lock?.release().catch(() => undefined);
      if (error instanceof StorageError) throw error;
      throw new StorageError("IO", `cannot open data dir ${options.dir}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /**
   * Resolves once the record is durable. Call in strictly increasing zxid order, and above the
   * zxid of any snapshot already requested.
   */
  append(record: LogRecord): Promise<void> {
    if (this.closing) return Promise.reject(new StorageError("CLOSED", "store is closed"));
    return this.writer.append(record);
  }

  /**
   * Durably writes `snapshot.<hex zxid>`, starts a new log segment, then purges. A failure
   * rejects this call but leaves the log untouched (the store keeps accepting appends).
   * `payload` may be a stream of chunks (written as they come), as long as it is the state at `zxid`.
   */
  writeSnapshot(zxid: bigint, payload: SnapshotPayload): Promise<void> {
    if (this.closing) return Promise.reject(new StorageError("CLOSED", "store is closed"));
    // from now on appends must be above the snapshot (they are, for an engine that appends
    // each txn before snapshotting the tree that includes it)
    this.writer.coverThrough(zxid);
    const run = this.snapshotChain.then(async () => {
      try {
        await writeSnapshotFile(this.dir, zxid, payload, this.fsync);
      } catch (error) {
        throw new StorageError("IO", `snapshot at zxid ${zxid} was not written: ${(error as Error).message}`, {
          cause: error,
        });
      }
      await this.writer.roll(zxid);
      const removed = await purge(this.dir, this.segments, this.retain, this.fsync).catch((error: unknown) => {
        throw new StorageError(
          "IO",
          `snapshot at zxid ${zxid} is durable but purging old files failed: ${(error as Error).message}`,
          { cause: error },
        );
      });
      const gone = new Set(removed.segments);
      const kept = this.segments.filter((segment) => !gone.has(segment.name));
      this.segments.splice(0, this.segments.length, ...kept);
    });
    this.snapshotChain = run.catch(() => undefined);
    return run;
  }

  /** Group-commit counters (appends, write+sync rounds, bytes). */
  stats(): StorageStats {
    return { ...this.writer.stats };
  }

  /** Waits for queued appends and snapshots, then releases the file handle and the data dir. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.snapshotChain.then(() => this.writer.close()).finally(() => this.lock.release());
    return this.closing;
  }
}
