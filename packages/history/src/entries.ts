/**
 * History entries: one row per version of a znode (create / update / delete), idempotent on
 * (path, mzxid, op) so the writer, the watcher and a post-crash reconcile can all record the same
 * change without duplicates, even from several server processes sharing one database.
 */
import { decodeHistoryCursor, encodeHistoryCursor } from "./cursor.ts";
import type { Sql } from "@prisma/client/runtime/client";
import type { Db } from "./client.ts";
import { isUniqueViolation } from "./errors.ts";
import { selectAtMzxid, selectPage } from "./hot-reads.ts";
import { ENTRY_SUMMARY, toEntry, toEntryWithContent } from "./mapping.ts";
import { coversPath, prefixWhere } from "./prefix.ts";
import type {
  HistoryEntry,
  HistoryEntryWithContent,
  ListOptions,
  ObservedChange,
  ObservedResult,
  Page,
  RecordInput,
  RecordOptions,
  ZxidInput,
} from "./types.ts";
import { markCompleted } from "./intents.ts";
import { checkLimit, checkPath, toRowId, toZxid } from "./validate.ts";
import { entryData, type EntryData } from "./write-data.ts";

function findKey(db: Pick<Db, "historyEntry">, data: Pick<EntryData, "path" | "mzxid" | "op">) {
  return db.historyEntry.findUnique({
    where: { path_mzxid_op: { path: data.path, mzxid: data.mzxid, op: data.op } },
    select: ENTRY_SUMMARY,
  });
}

export async function record(db: Db, input: RecordInput, options: RecordOptions = {}): Promise<HistoryEntry> {
  const data = entryData(input);
  if (options.completesIntent !== undefined) return recordCompleting(db, data, options.completesIntent);
  const existing = await findKey(db, data);
  if (existing) return toEntry(existing);
  try {
    return toEntry(await db.historyEntry.create({ data, select: ENTRY_SUMMARY }));
  } catch (err) {
    // Another process recorded the same change between our lookup and insert.
    const winner = isUniqueViolation(err) ? await findKey(db, data) : null;
    if (winner) return toEntry(winner);
    throw err;
  }
}

// Generous ceilings (Prisma's defaults are 2 s / 5 s): a loaded machine must not turn into errors.
const TRANSACTION_LIMITS = { maxWait: 30_000, timeout: 60_000 };

/**
 * The row of a write whose intent is known, and the intent's completion ("applied" at the row's
 * mzxid), in one transaction: a writer's history costs one round of writes, not two, and there
 * is never a row whose intent still looks pending (or the reverse).
 */
async function recordCompleting(db: Db, data: EntryData, intentId: string): Promise<HistoryEntry> {
  const id = toRowId(intentId, "intent id");
  const complete = (tx: Pick<Db, "writeIntent">) => markCompleted(tx, id, "applied", data.mzxid);
  try {
    return await db.$transaction(async (tx) => {
      const row = (await findKey(tx, data)) ?? (await tx.historyEntry.create({ data, select: ENTRY_SUMMARY }));
      await complete(tx);
      return toEntry(row);
    }, TRANSACTION_LIMITS);
  } catch (err) {
    // Another process recorded the same change between our lookup and insert.
    const winner = isUniqueViolation(err) ? await findKey(db, data) : null;
    if (!winner) throw err;
    await complete(db);
    return toEntry(winner);
  }
}

/**
 * Records a change seen in the backend. When a pending write intent matches it (same path and
 * op, and same content hash unless it is a delete), the entry gets the intent's author, message
 * and source and the intent is completed in the same transaction; otherwise the change was made
 * behind Conifer's back and is recorded with source and author "external".
 */
export async function recordObserved(db: Db, change: ObservedChange): Promise<ObservedResult> {
  const data = entryData({ ...change, author: "external", message: "", source: "external" });
  const existing = await findKey(db, data);
  if (existing) return { entry: toEntry(existing), created: false, intentId: null };
  try {
    return await db.$transaction(async (tx) => {
      const intent = await tx.writeIntent.findFirst({
        where: {
          path: data.path,
          op: data.op,
          completedAt: null,
          ...(data.op === "delete" ? {} : { contentHash: data.contentHash }),
        },
        orderBy: { id: "asc" },
      });
      const attributed = intent
        ? {
            ...data,
            author: intent.author,
            message: intent.message,
            source: intent.source,
            releaseId: intent.releaseId,
          }
        : data;
      const row = await tx.historyEntry.create({ data: attributed, select: ENTRY_SUMMARY });
      if (intent) await markCompleted(tx, intent.id, "applied", data.mzxid);
      return { entry: toEntry(row), created: true, intentId: intent ? String(intent.id) : null };
    }, TRANSACTION_LIMITS);
  } catch (err) {
    const winner = isUniqueViolation(err) ? await findKey(db, data) : null;
    if (winner) return { entry: toEntry(winner), created: false, intentId: null };
    throw err;
  }
}

/** Newest first, in the znode's own order (mzxid), so a late-recorded change sorts where it happened. */
export async function list(db: Db, table: Sql, path: string, options: ListOptions = {}): Promise<Page<HistoryEntry>> {
  checkPath(path);
  const limit = checkLimit(options.limit);
  const after = options.cursor ? decodeHistoryCursor(options.cursor) : null;
  // One row more than asked tells whether there is a next page without a second query.
  const rows = await selectPage(db, table, path, limit + 1, after);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toEntry),
    nextCursor: rows.length > limit && last ? encodeHistoryCursor(last.mzxid, last.id) : null,
  };
}

export async function get(db: Db, id: string): Promise<HistoryEntryWithContent | null> {
  const row = await db.historyEntry.findUnique({ where: { id: toRowId(id) } });
  return row ? toEntryWithContent(row) : null;
}

export async function latest(db: Db, path: string): Promise<HistoryEntryWithContent | null> {
  const row = await db.historyEntry.findFirst({
    where: { path: checkPath(path) },
    orderBy: [{ mzxid: "desc" }, { id: "desc" }],
  });
  return row ? toEntryWithContent(row) : null;
}

/** The version of `path` written at `mzxid`; its create/update row wins over a delete sharing the zxid. */
export async function byMzxid(
  db: Db,
  table: Sql,
  path: string,
  mzxid: ZxidInput,
): Promise<HistoryEntryWithContent | null> {
  const row = await selectAtMzxid(db, table, checkPath(path), toZxid(mzxid, "mzxid"));
  return row ? toEntryWithContent(row) : null;
}

/**
 * The newest entry of every path with history (optionally under a prefix), sorted by path: what a
 * reconcile compares against the backend to find changes and deletions made while the server was down.
 */
export async function latestPerPath(db: Db, options: { under?: string } = {}): Promise<HistoryEntry[]> {
  const under = options.under === undefined ? undefined : checkPath(options.under, "under");
  const rows = await db.historyEntry.findMany({
    where: under ? prefixWhere(under) : {},
    distinct: ["path"],
    orderBy: [{ path: "asc" }, { mzxid: "desc" }, { id: "desc" }],
    select: ENTRY_SUMMARY,
  });
  return rows
    .filter((r) => under === undefined || coversPath(under, r.path))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) // code-point order whatever the DB collation
    .map(toEntry);
}
