/**
 * Row → DTO conversions: bigint zxids and ids become decimal strings, dates become epoch
 * milliseconds, nullable columns become absent/optional fields. Keeps Prisma types inside.
 */
import type {
  AuditEntry as AuditRow,
  HistoryEntry as HistoryRow,
  WriteIntent as IntentRow,
} from "./generated/sqlite/client.ts";
import type {
  AuditEntry,
  AuditSource,
  ContentEncoding,
  HistoryEntry,
  HistoryEntryWithContent,
  HistoryOp,
  HistorySource,
  IntentOutcome,
  WriteIntent,
} from "./types.ts";

export type { AuditRow, HistoryRow, IntentRow };

/** Columns of a history row without its content, for listings. */
export const ENTRY_SUMMARY = {
  id: true,
  path: true,
  version: true,
  mzxid: true,
  czxid: true,
  op: true,
  encoding: true,
  contentHash: true,
  size: true,
  author: true,
  message: true,
  source: true,
  at: true,
  releaseId: true,
} as const;

export type HistorySummaryRow = Omit<HistoryRow, "content">;

export function toEntry(row: HistorySummaryRow): HistoryEntry {
  const entry: HistoryEntry = {
    id: String(row.id),
    path: row.path,
    version: row.version,
    mzxid: row.mzxid.toString(),
    czxid: row.czxid.toString(),
    op: row.op as HistoryOp,
    author: row.author,
    message: row.message,
    source: row.source as HistorySource,
    at: row.at.getTime(),
    contentHash: row.contentHash,
    size: row.size,
    encoding: row.encoding as ContentEncoding,
  };
  if (row.releaseId !== null) entry.releaseId = String(row.releaseId);
  return entry;
}

export function toEntryWithContent(row: HistoryRow): HistoryEntryWithContent {
  return { ...toEntry(row), content: row.content };
}

export function toAudit(row: AuditRow): AuditEntry {
  const entry: AuditEntry = {
    id: String(row.id),
    at: row.at.getTime(),
    actor: row.actor,
    action: row.action,
    source: row.source as AuditSource,
  };
  if (row.path !== null) entry.path = row.path;
  if (row.detail !== null) entry.detail = row.detail;
  if (row.ip !== null) entry.ip = row.ip;
  return entry;
}

export function toIntent(row: IntentRow): WriteIntent {
  return {
    id: String(row.id),
    path: row.path,
    op: row.op as HistoryOp,
    expectedVersion: row.expectedVersion,
    contentHash: row.contentHash,
    author: row.author,
    message: row.message,
    source: row.source as HistorySource,
    createdAt: row.createdAt.getTime(),
    completedAt: row.completedAt ? row.completedAt.getTime() : null,
    outcome: row.outcome as IntentOutcome | null,
    mzxid: row.mzxid === null ? null : row.mzxid.toString(),
    releaseId: row.releaseId === null ? null : String(row.releaseId),
  };
}
