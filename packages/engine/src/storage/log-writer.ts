/**
 * The append path: one open segment, one file handle, group commit. Appends queue up while a
 * synced write is in flight and the next round takes them all, so N concurrent appenders
 * share one sync instead of paying N. A promise resolves only after its bytes are synced
 * (and, for a new segment, after the directory entry is synced too).
 *
 * With fsync on, the segment is opened O_DSYNC, so each batch is one write that returns once
 * the data is on disk: one trip to the threadpool instead of a write and an fdatasync. And the
 * segment is zero-filled ahead of its end (like ZooKeeper's preAllocSize padding): appends
 * then overwrite blocks the filesystem has already allocated, so their sync does not have to
 * commit allocation metadata (ext4's journal) every time; recovery reads a zero tail as the
 * segment's end, and a closed segment is cut back to what was written. The first IO error
 * poisons the writer: after a failed fsync the kernel may have dropped the dirty pages, so a
 * retry that "succeeds" would acknowledge data that is not on disk.
 */
import { constants as fsConstants } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { join } from "node:path";

import { StorageError } from "./errors.ts";
import { logName, syncDir } from "./files.ts";
import { encodeFrame, encodeSegmentHeader, MAX_PAYLOAD_BYTES } from "./frame.ts";
import type { SegmentInfo } from "./recovery.ts";
import type { LogRecord, StorageStats } from "./types.ts";

interface PendingAppend {
  kind: "append";
  zxid: bigint;
  frame: Buffer;
  resolve: () => void;
  reject: (error: Error) => void;
}
interface PendingRoll {
  kind: "roll";
  zxid: bigint;
  resolve: () => void;
  reject: (error: Error) => void;
}
type Pending = PendingAppend | PendingRoll;

/** Caps one write so a huge backlog does not build one giant buffer. */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
/** How far ahead of the log's end zeros are written; refilled when less than half is left. */
export const PREALLOCATE_BYTES = 4 * 1024 * 1024;
const ZEROS = Buffer.alloc(PREALLOCATE_BYTES);
/** a new segment: "wx" (never reuse a name), synced writes when fsync is on */
function segmentFlags(fsync: boolean): number {
  const { O_WRONLY, O_CREAT, O_EXCL, O_DSYNC } = fsConstants;
  return O_WRONLY | O_CREAT | O_EXCL | (fsync ? O_DSYNC : 0);
}

export class LogWriter {
  private readonly queue: Pending[] = [];
  private handle: FileHandle | null = null;
  private position = 0;
  /** end of the zeros written ahead in the open segment (0: none) */
  private allocated = 0;
  /** a zero-fill failed (full disk, file size limit): no more for this segment */
  private noPreallocate = false;
  private running = false;
  private drained: (() => void) | null = null;
  private failure: StorageError | null = null;
  private closed = false;
  /** highest zxid accepted by append(), to enforce the strictly increasing contract up front */
  private lastAccepted: bigint;
  readonly stats: StorageStats = { appends: 0, batches: 0, bytes: 0, writeMs: 0, fillMs: 0 };

  constructor(
    private readonly dir: string,
    private readonly fsync: boolean,
    /** zxid the log has reached; written as prevZxid into the next segment's header */
    private lastZxid: bigint,
    private readonly onSegment: (segment: SegmentInfo) => void,
  ) {
    this.lastAccepted = lastZxid;
  }

  append(record: LogRecord): Promise<void> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    if (record.zxid <= this.lastAccepted) {
      return Promise.reject(
        new StorageError("INVALID_ARGUMENT", `append zxid ${record.zxid} is not above ${this.lastAccepted}`),
      );
    }
    if (record.payload.byteLength > MAX_PAYLOAD_BYTES) {
      return Promise.reject(
        new StorageError(
          "INVALID_ARGUMENT",
          `payload of ${record.payload.byteLength} bytes exceeds ${MAX_PAYLOAD_BYTES}`,
        ),
      );
    }
    this.lastAccepted = record.zxid;
    const frame = encodeFrame(record);
    return new Promise((resolve, reject) => {
      this.queue.push({ kind: "append", zxid: record.zxid, frame, resolve, reject });
      this.kick();
    });
  }

  /**
   * A snapshot at `zxid` covers every record up to it, and the next segment will say so in its
   * header; a later append at or below it would read back as corruption, so refuse it now.
   */
  coverThrough(zxid: bigint): void {
    if (zxid > this.lastAccepted) this.lastAccepted = zxid;
  }

  /** Ends the current segment after everything queued so far; the next append opens a new one. */
  roll(snapshotZxid: bigint): Promise<void> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    return new Promise((resolve, reject) => {
      this.queue.push({ kind: "roll", zxid: snapshotZxid, resolve, reject });
      this.kick();
    });
  }

  /** Lets queued appends finish, then closes the segment. Later appends reject with CLOSED. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.running) await new Promise<void>((resolve) => (this.drained = resolve));
    await this.closeSegment().catch(() => undefined);
  }

  private refusal(): StorageError | null {
    if (this.failure)
      return new StorageError("FAILED", `store failed earlier and accepts no writes: ${this.failure.message}`, {
        cause: this.failure,
      });
    if (this.closed) return new StorageError("CLOSED", "store is closed");
    return null;
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    // Not a microtask later but after the event loop's poll phase: the writer was idle, so this
    // is the first request of a burst, and the other sockets whose requests arrived in the same
    // poll are read in this turn too; they join this batch instead of waiting a whole sync.
    setImmediate(() => void this.run());
  }

  private async run(): Promise<void> {
    for (let head = this.queue[0]; head !== undefined && !this.failure; head = this.queue[0]) {
      if (head.kind === "roll") {
        this.queue.shift();
        try {
          await this.closeSegment();
          if (head.zxid > this.lastZxid) this.lastZxid = head.zxid;
          head.resolve();
        } catch (error) {
          this.fail(error, [head]);
        }
        continue;
      }
      const batch = this.takeBatch();
      try {
        await this.writeBatch(batch);
      } catch (error) {
        this.fail(error, batch);
        continue;
      }
      for (const item of batch) item.resolve();
      // after the replies are on their way; appends arriving meanwhile form the next batch
      await this.preallocate();
    }
    this.running = false;
    this.drained?.();
    this.drained = null;
  }

  private takeBatch(): PendingAppend[] {
    const batch: PendingAppend[] = [];
    let bytes = 0;
    for (let next = this.queue[0]; next !== undefined; next = this.queue[0]) {
      if (next.kind !== "append" || (batch.length > 0 && bytes + next.frame.length > MAX_BATCH_BYTES)) break;
      this.queue.shift();
      batch.push(next);
      bytes += next.frame.length;
    }
    return batch;
  }

  private async writeBatch(batch: PendingAppend[]): Promise<void> {
    const first = batch[0];
    const last = batch[batch.length - 1];
    if (first === undefined || last === undefined) return;
    const buffers = batch.map((item) => item.frame);
    let newSegment = false;
    if (this.handle === null) {
      const name = logName(first.zxid);
      // wx: never reuse a name; an existing file here means the history is not what we think
      this.handle = await open(join(this.dir, name), segmentFlags(this.fsync));
      this.position = 0;
      this.allocated = 0;
      this.noPreallocate = false;
      this.onSegment({ name, prevZxid: this.lastZxid });
      buffers.unshift(encodeSegmentHeader(this.lastZxid));
      newSegment = true;
    }
    const [only] = buffers;
    const data = buffers.length === 1 && only !== undefined ? only : Buffer.concat(buffers);
    const started = performance.now();
    for (let done = 0; done < data.length;) {
      const { bytesWritten } = await this.handle.write(data, done, data.length - done, this.position + done);
      done += bytesWritten;
    }
    this.position += data.length;
    // the O_DSYNC writes above are on disk; a new file's name must be too
    if (this.fsync && newSegment) await syncDir(this.dir);
    this.lastZxid = last.zxid;
    this.stats.appends += batch.length;
    this.stats.batches += 1;
    this.stats.bytes += data.length;
    this.stats.writeMs += performance.now() - started;
  }

  /**
   * Zeroes [max(allocated, position), +PREALLOCATE_BYTES) when less than half of the zeros is
   * left. Only between batches, so it never overlaps an append. Best effort: an append past the
   * zeros is as durable, only slower, and a real write error is the append's to report.
   */
  private async preallocate(): Promise<void> {
    const handle = this.handle;
    if (!this.fsync || handle === null || this.noPreallocate) return;
    if (this.allocated - this.position >= PREALLOCATE_BYTES / 2) return;
    const from = Math.max(this.allocated, this.position);
    const started = performance.now();
    try {
      for (let done = 0; done < ZEROS.length;) {
        const { bytesWritten } = await handle.write(ZEROS, done, ZEROS.length - done, from + done);
        done += bytesWritten;
      }
      this.allocated = from + ZEROS.length;
    } catch {
      this.noPreallocate = true;
    }
    this.stats.fillMs += performance.now() - started;
  }

  /** `trim`: cut the zeros ahead off (not after a failure: nothing more is written then) */
  private async closeSegment(trim = true): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    if (!handle) return;
    try {
      // the zeros ahead are not part of the log; recovery would cut them too, this is tidier
      if (trim && this.allocated > this.position) await handle.truncate(this.position);
    } catch {
      // recovery reads a zero tail as the segment's end
    } finally {
      this.allocated = 0;
      await handle.close();
    }
  }

  private fail(cause: unknown, inFlight: Pending[]): void {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const first = inFlight[0];
    const error = new StorageError(
      "IO",
      `log write${first ? ` at zxid ${first.zxid}` : ""} was not made durable: ${reason}`,
      { cause },
    );
    this.failure = error;
    for (const item of inFlight) item.reject(error);
    const rest = this.queue.splice(0);
    for (const item of rest)
      item.reject(new StorageError("FAILED", `store failed before this write: ${reason}`, { cause: error }));
    // best effort; the handle's state is unknown and recovery will cut any partial frame
    void this.closeSegment(false).catch(() => undefined);
  }
}
