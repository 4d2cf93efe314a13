/**
 * The storage layer's one typed error. Codes form a closed set so the engine can map them
 * (IO and FAILED mean "the write was not made durable"; UNRECOVERABLE means the data dir
 * lacks history it needs and refusing to start is safer than serving a wrong tree).
 */

export type StorageErrorCode =
  /** a write, fsync or rename failed; the operation was not made durable */
  | "IO"
  /** an earlier IO error poisoned the store; nothing more is accepted until it is reopened */
  | "FAILED"
  | "CLOSED"
  /** caller broke the contract (zxid order, oversized record, bad option) */
  | "INVALID_ARGUMENT"
  /** the data dir cannot be turned back into a consistent state (missing log segments) */
  | "UNRECOVERABLE"
  /** another live process (or this one) already has the data dir open; see `holderPid` */
  | "LOCKED";

export class StorageError extends Error {
  override readonly name = "StorageError";
  readonly code: StorageErrorCode;
  /** the data dir concerned, when the error is about the dir itself (LOCKED) */
  readonly dir: string | undefined;
  /** LOCKED: pid of the process holding the data dir, when its lock file names one */
  readonly holderPid: number | undefined;

  constructor(
    code: StorageErrorCode,
    message: string,
    options?: { cause?: unknown; dir?: string; holderPid?: number },
  ) {
    super(`${code}: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.dir = options?.dir;
    this.holderPid = options?.holderPid;
  }
}
