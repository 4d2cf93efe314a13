/**
 * The audit trail: append-only rows of who did what, where, from which surface. There is no
 * update or delete here on purpose; the only writes are inserts.
 */
import type { Db } from "./client.ts";
import { decodeAuditCursor, encodeAuditCursor } from "./cursor.ts";
import { HistoryError } from "./errors.ts";
import { toAudit } from "./mapping.ts";
import { coversPath, prefixWhere } from "./prefix.ts";
import type { AuditEntry, AuditInput, AuditQuery, Page, VersionRow } from "./types.ts";
import { checkAuditSource, checkLimit, checkPath, checkText, toDate } from "./validate.ts";

export async function appendAudit(db: Db, input: AuditInput): Promise<AuditEntry> {
  const detail =
    input.detail === undefined || input.detail === null
      ? null
      : typeof input.detail === "string"
        ? input.detail
        : JSON.stringify(input.detail);
  const at = toDate(input.at, "at");
  const row = await db.auditEntry.create({
    data: {
      actor: checkText(input.actor, "actor"),
      action: checkText(input.action, "action"),
      path: input.path === undefined || input.path === null ? null : checkPath(input.path),
      detail,
      source: checkAuditSource(input.source),
      ip: input.ip ?? null,
      ...(at ? { at } : {}),
    },
  });
  return toAudit(row);
}

/** "config.*" is a family of actions (every action starting "config."); anything else is exact. */
function actionWhere(action: string): string | { startsWith: string } {
  return action.endsWith(".*") ? { startsWith: action.slice(0, -1) } : action;
}

/** Newest first. A path prefix is matched segment-wise, exactly (see prefix.ts). */
export async function listAudit(db: Db, query: AuditQuery = {}): Promise<Page<AuditEntry>> {
  const limit = checkLimit(query.limit);
  const prefix = query.pathPrefix === undefined ? undefined : checkPath(query.pathPrefix, "pathPrefix");
  const since = toDate(query.since, "since");
  const until = toDate(query.until, "until");
  let before = query.cursor ? decodeAuditCursor(query.cursor) : undefined;
  const base = {
    ...(prefix ? prefixWhere(prefix) : {}),
    ...(query.actor !== undefined ? { actor: query.actor } : {}),
    ...(query.action !== undefined ? { action: actionWhere(query.action) } : {}),
    ...(since || until ? { at: { ...(since ? { gte: since } : {}), ...(until ? { lt: until } : {}) } } : {}),
  };
  const kept: Awaited<ReturnType<typeof db.auditEntry.findMany>> = [];
  // The database filter may over-select (see prefix.ts), so read batches until the page is full.
  for (;;) {
    const rows = await db.auditEntry.findMany({
      where: { ...base, ...(before !== undefined ? { id: { lt: before } } : {}) },
      orderBy: { id: "desc" },
      take: limit + 1,
    });
    for (const row of rows) {
      before = row.id;
      if (prefix === undefined || coversPath(prefix, row.path)) kept.push(row);
      if (kept.length > limit) break;
    }
    if (kept.length > limit || rows.length <= limit) break;
  }
  const page = kept.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(toAudit), nextCursor: kept.length > limit && last ? encodeAuditCursor(last.id) : null };
}

/** Every action and actor the log names, sorted: what the audit screen offers as filters. */
export async function auditFacets(db: Db): Promise<{ actions: string[]; actors: string[] }> {
  const [actions, actors] = await Promise.all([
    db.auditEntry.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } }),
    db.auditEntry.findMany({ distinct: ["actor"], select: { actor: true }, orderBy: { actor: "asc" } }),
  ]);
  // code-point order whatever the database collation
  const sorted = (list: string[]) => [...new Set(list)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { actions: sorted(actions.map((r) => r.action)), actors: sorted(actors.map((r) => r.actor)) };
}

/**
 * The history rows (not deletes) of these (path, version) pairs, so an audit row that names a
 * version ("version 3") can link to it; a pair may match several rows when a path was deleted
 * and created again, and the caller picks the one nearest its audit row in time.
 */
export async function versionRows(db: Db, refs: readonly { path: string; version: number }[]): Promise<VersionRow[]> {
  if (refs.length === 0) return [];
  if (refs.length > 500) invalidRefs(refs.length);
  const rows = await db.historyEntry.findMany({
    where: {
      OR: refs.map((r) => ({ path: checkPath(r.path), version: r.version })),
      NOT: { op: "delete" },
    },
    select: { id: true, path: true, version: true, at: true },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => ({ id: String(r.id), path: r.path, version: r.version, at: r.at.getTime() }));
}

function invalidRefs(n: number): never {
  throw new HistoryError("INVALID_ARGUMENT", `at most 500 versions per lookup, got ${n}`);
}
