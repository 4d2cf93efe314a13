/**
 * Public value types of the durable store (re-exported by durable-store.ts, which is the
 * module the engine imports).
 */

export interface LogRecord {
  zxid: bigint;
  payload: Uint8Array;
}

/** Something recovery found wrong and repaired (or set aside) while opening the data dir. */
export interface RecoveryIssue {
  /**
   * torn-tail: the last record(s) of the newest segment were incomplete or failed their CRC
   *   and were cut off (the normal aftermath of a crash mid-write).
   * corrupt-log: a bad record was followed by valid data (or a later segment); replay stopped
   *   before it and everything after it was moved to `quarantine/`, not deleted.
   * corrupt-snapshot: a snapshot failed its checks and an older one was used instead.
   */
  kind: "torn-tail" | "corrupt-log" | "corrupt-snapshot";
  file: string;
  /** byte offset of the first bad byte, for log issues */
  offset?: number;
  detail: string;
  /** files written under `quarantine/` to keep what was cut off */
  quarantined?: string[];
}

export interface RecoveredState {
  snapshot: { zxid: bigint; payload: Uint8Array } | null;
  /** zxid > snapshot zxid, ascending */
  records: LogRecord[];
  /** bytes cut off (or moved to quarantine) from the log during recovery */
  truncatedBytes: number;
  /** empty on a clean open */
  issues: RecoveryIssue[];
}

export interface StorageOptions {
  dir: string;
  /** default true; false skips fdatasync/fsync (tests, throwaway data) */
  fsync?: boolean;
  /** default 3, like ZooKeeper's autopurge.snapRetainCount; min 1 */
  snapRetainCount?: number;
}

/** Counters for observing group commit; cheap, always on. */
export interface StorageStats {
  appends: number;
  /** write+sync rounds of the log; appends / batches is the group-commit factor */
  batches: number;
  bytes: number;
  /** wall time spent in the batches' (synced) writes, ms */
  writeMs: number;
  /** wall time spent zero-filling ahead of the log's end (between batches), ms */
  fillMs: number;
}
