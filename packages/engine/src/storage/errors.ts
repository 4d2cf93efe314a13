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
  | "UNRECOVERABLE";

export class StorageError extends Error {
  override readonly name = "StorageError";
  readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.code = code;
  }
}
