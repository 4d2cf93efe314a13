/**
 * Plain data shapes of the history store's public API. Everything is JSON-friendly: 64-bit
 * zxids and row ids are decimal strings, times are milliseconds since the epoch. No Prisma type
 * appears here, so callers never depend on the generated clients.
 */

export const HISTORY_OPS = ["create", "update", "delete"] as const;
export type HistoryOp = (typeof HISTORY_OPS)[number];

/**
 * Where a version came from: a client surface (console, api, sdk), outside Conifer (external),
 * per-key rollback and restore, or the scheduler firing a scheduled publish (schedule). Stored
 * as text (prisma/* schemas); this list is the check.
 */
export const HISTORY_SOURCES = ["console", "api", "sdk", "external", "rollback", "restore", "schedule"] as const;
export type HistorySource = (typeof HISTORY_SOURCES)[number];

/**
 * Who performed an audited action: a client surface, the scheduler acting for the user who
 * scheduled a publish, or the server itself (reconcile, startup).
 */
export const AUDIT_SOURCES = ["console", "api", "sdk", "external", "schedule", "system"] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];

export type ContentEncoding = "utf8" | "base64";

/** A zxid as accepted on input: a bigint or its decimal string. */
export type ZxidInput = bigint | string;

/** Time as accepted on input: a Date or milliseconds since the epoch. */
export type TimeInput = Date | number;

export interface RecordInput {
  path: string;
  version: number;
  mzxid: ZxidInput;
  czxid: ZxidInput;
  op: HistoryOp;
  /** The znode data of that version ("" for a delete unless the caller keeps the last content). */
  content: string;
  /** "base64" when the znode data is not valid UTF-8. Default "utf8". */
  encoding?: ContentEncoding;
  author: string;
  message?: string;
  source: HistorySource;
  /** When the change happened (the znode mtime for changes seen in the backend). Default now. */
  at?: TimeInput;
  /** The release this version was published in, when it was (issue 14). */
  releaseId?: string | null;
}

export interface RecordOptions {
  /** The write intent this row is the outcome of: completed ("applied", at the row's mzxid) with it, atomically. */
  completesIntent?: string;
}

export interface HistoryEntry {
  id: string;
  path: string;
  version: number;
  mzxid: string;
  czxid: string;
  op: HistoryOp;
  author: string;
  message: string;
  source: HistorySource;
  at: number;
  /** sha256 hex of the content bytes. */
  contentHash: string;
  /** Size of the content in bytes. */
  size: number;
  encoding: ContentEncoding;
  /** The release this version was published in; absent for single-key writes. */
  releaseId?: string;
}

export interface HistoryEntryWithContent extends HistoryEntry {
  content: string;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next (older) page; null when there is none. */
  nextCursor: string | null;
}

export interface ListOptions {
  /** 1..500, default 50. */
  limit?: number;
  cursor?: string | null;
}

/** A change seen in the backend, to be recorded with the attribution of a matching intent. */
export type ObservedChange = Omit<RecordInput, "author" | "message" | "source">;

export interface ObservedResult {
  entry: HistoryEntry;
  /** False when history already had this (path, mzxid, op). */
  created: boolean;
  /** The pending intent the change was attributed to; null when recorded as "external". */
  intentId: string | null;
}

export interface AuditInput {
  actor: string;
  action: string;
  path?: string | null;
  /** Free text, or any JSON-serialisable value (stored as its JSON text). */
  detail?: unknown;
  source: AuditSource;
  ip?: string | null;
  at?: TimeInput;
}

export interface AuditEntry {
  id: string;
  at: number;
  actor: string;
  action: string;
  path?: string;
  detail?: string;
  source: AuditSource;
  ip?: string;
}

export interface AuditQuery extends ListOptions {
  /** A path and everything below it (segment-wise: "/a" matches "/a" and "/a/b", not "/ab"). */
  pathPrefix?: string;
  actor?: string;
  /** An exact action, or a family: "config.*" is every action starting "config.". */
  action?: string;
  /** Inclusive lower bound on `at`. */
  since?: TimeInput;
  /** Exclusive upper bound on `at`. */
  until?: TimeInput;
}

/** A history row an audit row can link to (see HistoryStore.versionRows). */
export interface VersionRow {
  id: string;
  path: string;
  version: number;
  at: number;
}

export type IntentOutcome = "applied" | "failed";

export interface IntentInput {
  path: string;
  op: HistoryOp;
  expectedVersion?: number | null;
  /** The content about to be written; or give its `contentHash` directly. */
  content?: string;
  encoding?: ContentEncoding;
  contentHash?: string;
  author: string;
  message?: string;
  source: HistorySource;
  /** The release this write belongs to: its history row is linked to it. */
  releaseId?: string | null;
}

export interface WriteIntent {
  id: string;
  path: string;
  op: HistoryOp;
  expectedVersion: number | null;
  contentHash: string;
  author: string;
  message: string;
  source: HistorySource;
  createdAt: number;
  completedAt: number | null;
  outcome: IntentOutcome | null;
  mzxid: string | null;
  releaseId: string | null;
}

export interface CompleteIntentOptions {
  /** Default "applied". Use "failed" when the backend write was rejected. */
  outcome?: IntentOutcome;
  /** The mzxid the write produced, when known. */
  mzxid?: ZxidInput | null;
}

export interface PendingIntentQuery {
  path?: string;
  /** Only intents created before this time (leave recent, probably in-flight ones alone). */
  createdBefore?: TimeInput;
}
