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
import {
  checkEncoding,
  checkHash,
  checkInt,
  checkOp,
  checkPath,
  checkSource,
  checkText,
  contentBytes,
  hashBytes,
  toDate,
  toRowId,
  toZxid,
} from "./validate.ts";

export async function beginIntent(db: Db, input: IntentInput): Promise<WriteIntent> {
  let contentHash: string;
  if (input.contentHash !== undefined) contentHash = checkHash(input.contentHash);
  else if (input.content !== undefined)
    contentHash = hashBytes(
      contentBytes(checkText(input.content, "content", { allowEmpty: true }), checkEncoding(input.encoding)),
    );
  else throw new HistoryError("INVALID_ARGUMENT", "an intent needs its content or contentHash");
  const row = await db.writeIntent.create({
    data: {
      path: checkPath(input.path),
      op: checkOp(input.op),
      expectedVersion:
        input.expectedVersion === undefined || input.expectedVersion === null
          ? null
          : checkInt(input.expectedVersion, "expectedVersion", -1),
      contentHash,
      author: checkText(input.author, "author"),
      message: checkText(input.message ?? "", "message", { allowEmpty: true }),
      source: checkSource(input.source),
      releaseId:
        input.releaseId === undefined || input.releaseId === null ? null : toRowId(input.releaseId, "release id"),
    },
  });
  return toIntent(row);
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
  const { count } = await db.writeIntent.updateMany({
    where: { id: rowId, completedAt: null },
    data: { completedAt: new Date(), outcome, ...(mzxid !== null ? { mzxid } : {}) },
  });
  if (count === 1) return true;
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
