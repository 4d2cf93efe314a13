/**
 * @conifer/history — the versioned history and audit store (Prisma: SQLite by default,
 * PostgreSQL in production). Hand-picked public API, what other packages use (the types of the
 * store's method arguments are reached through HistoryStore); Prisma types never cross this line.
 */
export { openHistoryStore } from "./store.ts";
export type { HistoryStore, HistoryStoreOptions } from "./store.ts";
export type {
  AccountStore,
  AdminAffectingChange,
  ApiTokenRecord,
  LoginSessionRecord,
  RoleBindingRecord,
  UserRecord,
} from "./account-types.ts";
export type { ReleaseStore } from "./releases.ts";
export { CHANGE_STATUSES } from "./release-types.ts";
export type {
  ChangeItemInput,
  ChangeItemRecord,
  ChangeOp,
  ChangeRecord,
  ChangeStatus,
  ChangeTransition,
  CommentRecord,
  PolicyRecord,
  ReleaseInput,
  ReleaseItemRecord,
  ReleaseRecord,
  ReleaseStatus,
  ReviewRecord,
} from "./release-types.ts";
export { HistoryError, HISTORY_ERROR_CODES, isHistoryError } from "./errors.ts";
export type { HistoryErrorCode } from "./errors.ts";
export { parseDatabaseUrl } from "./url.ts";
export type { DatabaseTarget } from "./url.ts";
export { AUDIT_SOURCES, HISTORY_OPS, HISTORY_SOURCES } from "./types.ts";
export type {
  AuditEntry,
  AuditInput,
  ContentEncoding,
  HistoryEntry,
  HistoryEntryWithContent,
  HistoryOp,
  HistorySource,
  RecordInput,
  WriteIntent,
} from "./types.ts";
