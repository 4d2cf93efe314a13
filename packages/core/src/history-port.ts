/**
 * What the domain layer uses of the history store (@conifer/history), stated narrowly so the
 * services depend on these calls only; unit tests may implement it in memory.
 */
import type { HistoryStore } from "@conifer/history";

export type HistoryPort = Pick<
  HistoryStore,
  | "record"
  | "list"
  | "get"
  | "latest"
  | "byMzxid"
  | "latestPerPath"
  | "audit"
  | "listAudit"
  | "auditFacets"
  | "versionRows"
  | "beginIntent"
  | "completeIntent"
  | "pendingIntents"
  | "ping"
  | "accounts"
  | "releases"
>;

export type {
  HistoryEntry,
  HistoryEntryWithContent,
  HistoryOp,
  HistorySource,
  WriteIntent,
  AuditEntry,
  RecordInput,
} from "@conifer/history";
