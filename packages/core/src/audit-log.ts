/**
 * The audit log as users read it: pages of rows filtered by path, author, action and time, each
 * row with its readable sentence and the versions it names linked to their history entries (one
 * lookup per page), and the whole filtered log a page at a time for an export.
 */
import { linkVersions, readAudit } from "./audit-view.ts";
import type { AuditEntryDTO } from "./dto.ts";
import type { AuditEntry, HistoryPort } from "./history-port.ts";

/** What the audit screen and its export filter on; times are epoch milliseconds. */
export interface AuditFilter {
  path?: string;
  author?: string;
  /** exact, or a family such as "config.*" */
  action?: string;
  since?: number;
  until?: number;
}

type AuditStore = Pick<HistoryPort, "listAudit" | "versionRows">;

export async function listAudit(
  store: AuditStore,
  input: AuditFilter & { limit?: number; cursor?: string },
): Promise<{ items: AuditEntryDTO[]; nextCursor: string | null }> {
  const page = await store.listAudit({ ...auditQuery(input), limit: clampLimit(input.limit), cursor: input.cursor });
  return { items: await readable(store, page.items), nextCursor: page.nextCursor };
}

/** Every row matching the filter, newest first, a page at a time: what an export streams. */
export async function* exportAudit(store: AuditStore, input: AuditFilter): AsyncGenerator<AuditEntryDTO[]> {
  let cursor: string | undefined;
  do {
    const page = await store.listAudit({ ...auditQuery(input), limit: 500, cursor });
    yield await readable(store, page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

export function toAuditDTO(r: AuditEntry): AuditEntryDTO {
  const { summary, versions } = readAudit(r);
  return {
    summary,
    versions,
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    ...(r.path != null ? { path: r.path } : {}),
    ...(r.detail != null ? { detail: r.detail } : {}),
    source: r.source,
    ...(r.ip != null ? { ip: r.ip } : {}),
  };
}

/** Readable rows whose versions link to their history entries (one lookup per page). */
async function readable(store: AuditStore, rows: AuditEntry[]): Promise<AuditEntryDTO[]> {
  const items = rows.map(toAuditDTO);
  const refs = new Map<string, { path: string; version: number }>();
  for (const it of items)
    for (const v of it.versions)
      if (it.path !== undefined && v.entryId === undefined)
        refs.set(`${v.version}:${it.path}`, { path: it.path, version: v.version });
  if (refs.size > 0) linkVersions(items, await store.versionRows([...refs.values()]));
  return items;
}

function auditQuery(input: AuditFilter) {
  return {
    pathPrefix: input.path,
    actor: input.author,
    action: input.action,
    since: input.since !== undefined ? new Date(input.since) : undefined,
    until: input.until !== undefined ? new Date(input.until) : undefined,
  };
}

/** A page size the store accepts: 1 to 500, 50 when not given. */
export function clampLimit(limit: number | undefined): number {
  return Math.max(1, Math.min(limit ?? 50, 500));
}
