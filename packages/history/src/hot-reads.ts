/**
 * The two hot read queries of the history store, "last N versions of a path" (list) and "content
 * at version v" (byMzxid), as raw SQL through the same Prisma client.
 *
 * Why raw SQL: with `engineType = "client"` every model query (findMany, findUnique...) is first
 * compiled from Prisma's JSON protocol to a query plan by the WASM query compiler, with no plan
 * cache in 6.19. A CPU profile of `findMany` for these two queries put about 40 % of the time in
 * that compiler, against about 10 % for `$queryRaw`, whose plan is the SQL itself; per query that
 * is roughly half the CPU (docs/performance.md §5). On a shared, loaded machine less CPU per query
 * is what keeps the p99 down. Everything else (pool, transactions, error mapping) stays Prisma's.
 *
 * The SQL is plain enough to be the same for SQLite and PostgreSQL (quoted identifiers; Prisma's
 * tagged template turns the values into `?` or `$n` parameters per provider). Table names are
 * qualified with the PostgreSQL `?schema=` ourselves: Prisma does that for model queries only.
 */
import { raw, type Sql } from "@prisma/client/runtime/client";
import type { Db } from "./client.ts";
import type { HistoryRow, HistorySummaryRow } from "./mapping.ts";
import type { DatabaseTarget } from "./url.ts";

/** The history table as an SQL fragment, schema-qualified when the URL names a schema. */
export function historyTable(target: DatabaseTarget): Sql {
  // The schema name was checked against /^[A-Za-z_][A-Za-z0-9_]{0,62}$/ when the URL was parsed.
  return raw(
    target.provider === "postgresql" && target.schema ? `"${target.schema}"."HistoryEntry"` : `"HistoryEntry"`,
  );
}

// The columns of ENTRY_SUMMARY (mapping.ts), in SQL: a listing never reads the content.
const SUMMARY = raw(
  `"id", "path", "version", "mzxid", "czxid", "op", "encoding", "contentHash", "size", "author", "message", "source", "at", "releaseId"`,
);

/**
 * Newest first by (mzxid, id), strictly after the cursor when there is one. Both forms are served
 * by the (path, mzxid DESC, id DESC) index: an index range scan that stops after `take` rows.
 * The cursor is a row-value comparison on purpose: PostgreSQL turns it into an index condition,
 * while the equivalent `mzxid < m OR (mzxid = m AND id < i)` (what Prisma generated) became a
 * bitmap scan of every older version of the path plus a sort (EXPLAIN, docs/performance.md §5).
 */
export function selectPage(
  db: Db,
  table: Sql,
  path: string,
  take: number,
  after: { mzxid: bigint; id: number } | null,
): Promise<HistorySummaryRow[]> {
  if (!after) {
    return db.$queryRaw<
      HistorySummaryRow[]
    >`SELECT ${SUMMARY} FROM ${table} WHERE "path" = ${path} ORDER BY "mzxid" DESC, "id" DESC LIMIT ${take}`;
  }
  return db.$queryRaw<HistorySummaryRow[]>`SELECT ${SUMMARY} FROM ${table}
    WHERE "path" = ${path} AND ("mzxid", "id") < (${after.mzxid}, ${after.id})
    ORDER BY "mzxid" DESC, "id" DESC LIMIT ${take}`;
}

/**
 * The row of `path` at `mzxid`, its create/update row before a delete sharing the zxid, then the
 * oldest: one row in one round trip, where fetching all of them and choosing in JS would also read
 * the content of rows we drop. At most three rows match ((path, mzxid, op) is unique), so the
 * ORDER BY sorts a handful of rows found through that unique index.
 */
export async function selectAtMzxid(db: Db, table: Sql, path: string, mzxid: bigint): Promise<HistoryRow | null> {
  const rows = await db.$queryRaw<HistoryRow[]>`SELECT ${SUMMARY}, "content" FROM ${table}
    WHERE "path" = ${path} AND "mzxid" = ${mzxid}
    ORDER BY CASE WHEN "op" = 'delete' THEN 1 ELSE 0 END, "id" ASC LIMIT 1`;
  return rows[0] ?? null;
}
