/**
 * Write intents: written BEFORE a backend write and completed after it, so a crash between the
 * backend write and its history entry leaves a trace. On start the server reconciles: changes in
 * the backend missing from history are recorded with `recordObserved`, which attributes them to
 * the matching pending intent (or to "external" when none matches).
 */
import type { Db } from "./client.ts";
import { HistoryError } from "./errors.ts";
import { toIntent } from "./mapping.ts";
import type { CompleteIntentOptions, IntentInput, PendingIntentQuery, WriteIntent } from "./types.ts";
import { checkPath, toDate, toRowId, toZxid } from "./validate.ts";
import { intentData } from "./write-data.ts";

export async function beginIntent(db: Db, input: IntentInput): Promise<WriteIntent> {
  return toIntent(await db.writeIntent.create({ data: intentData(input) }));
}

/**
 * Marks an intent done. Idempotent: returns true if this call completed it, false if it already
 * was (e.g. `recordObserved` got there first). Unknown ids are a NOT_FOUND error.
 */
export async function completeIntent(db: Db, id: string, options: CompleteIntentOptions = {}): Promise<boolean> {
  const rowId = toRowId(id, "intent id");
  // typed as what a JavaScript caller may actually pass, so the check below stays meaningful
  const outcome: unknown = options.outcome ?? "applied";
  if (outcome !== "applied" && outcome !== "failed")
    throw new HistoryError("INVALID_ARGUMENT", `outcome must be "applied" or "failed"`);
  const mzxid = options.mzxid === undefined || options.mzxid === null ? null : toZxid(options.mzxid, "mzxid");
  if (await markCompleted(db, rowId, outcome, mzxid)) return true;
  if (!(await db.writeIntent.findUnique({ where: { id: rowId }, select: { id: true } })))
    throw new HistoryError("NOT_FOUND", `no write intent ${id}`);
  return false;
}

export async function getIntent(db: Db, id: string): Promise<WriteIntent | null> {
  const row = await db.writeIntent.findUnique({ where: { id: toRowId(id, "intent id") } });
  return row ? toIntent(row) : null;
}

/** Intents never completed, oldest first. */
export async function pendingIntents(db: Db, query: PendingIntentQuery = {}): Promise<WriteIntent[]> {
  const before = toDate(query.createdBefore, "createdBefore");
  const rows = await db.writeIntent.findMany({
    where: {
      completedAt: null,
      ...(query.path !== undefined ? { path: checkPath(query.path) } : {}),
      ...(before ? { createdAt: { lt: before } } : {}),
    },
    orderBy: { id: "asc" },
  });
  return rows.map(toIntent);
}

/**
 * Completes a pending intent (a no-op when it already is): true when this call did. The one
 * place an intent is completed, by `completeIntent` or with the history row of its write.
 */
export async function markCompleted(
  db: Pick<Db, "writeIntent">,
  id: number,
  outcome: "applied" | "failed",
  mzxid: bigint | null,
): Promise<boolean> {
  const { count } = await db.writeIntent.updateMany({
    where: { id, completedAt: null },
    data: { completedAt: new Date(), outcome, ...(mzxid !== null ? { mzxid } : {}) },
  });
  return count === 1;
}
