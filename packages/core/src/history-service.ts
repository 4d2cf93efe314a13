/**
 * History and audit as users see them: the versions of a path (newest first), one version with
 * its content, a diff between two versions or a version and what is live, rollback (the old
 * content published as a NEW version, never rewriting history), restore of a deleted node, and
 * the audit log.
 */
import { diffText, type DiffHunk } from "@conifer/formats";
import { linkVersions, readAudit } from "./audit-view.ts";
import type { ConfigService } from "./config-service.ts";
import { toStatDTO, type Actor, type AuditEntryDTO, type HistoryEntryDTO, type StatDTO } from "./dto.ts";
import { ConfigError } from "./errors.ts";
import type { AuditEntry, HistoryEntry, HistoryEntryWithContent, HistoryPort } from "./history-port.ts";
import { checkPath } from "./paths.ts";
import type { ConfigWriter } from "./config-writer.ts";
import { checkContent } from "./validation.ts";
import type { BackendLink } from "./backend-link.ts";
import type { DirectReleases } from "./releases/direct.ts";

export interface DiffResult {
  from: { id: string; label: string };
  to: { id: string; label: string };
  unified: string;
  hunks: DiffHunk[];
}

export function toHistoryDTO(r: HistoryEntry): HistoryEntryDTO {
  return {
    id: r.id,
    path: r.path,
    version: r.version,
    mzxid: r.mzxid,
    op: r.op,
    author: r.author,
    message: r.message,
    source: r.source,
    at: r.at,
    contentHash: r.contentHash,
    size: r.size,
    // the release this version was published in: per-key history links to it
    ...(r.releaseId ? { releaseId: r.releaseId } : {}),
  };
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

const label = (r: HistoryEntry): string => `v${r.version} · ${r.op} by ${r.author}`;

export class HistoryService {
  constructor(
    private readonly store: HistoryPort,
    private readonly config: ConfigService,
    private readonly writer: ConfigWriter,
    private readonly link: BackendLink,
    private readonly direct: DirectReleases,
  ) {}

  async list(input: {
    path: string;
    limit?: number;
    cursor?: string;
  }): Promise<{ items: HistoryEntryDTO[]; nextCursor: string | null }> {
    checkPath(input.path);
    const page = await this.store.list(input.path, { limit: clampLimit(input.limit), cursor: input.cursor });
    return { items: page.items.map(toHistoryDTO), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<HistoryEntryDTO & { content: string; encoding: "utf8" | "base64" }> {
    const row = await this.row(id);
    return { ...toHistoryDTO(row), content: row.content, encoding: row.encoding };
  }

  private async row(id: string): Promise<HistoryEntryWithContent> {
    const row = await this.store.get(id);
    if (!row) throw new ConfigError("NOT_FOUND", `No history entry ${id}`, { id });
    return row;
  }

  async diff(input: { fromId: string; toId: string; path?: string }): Promise<DiffResult> {
    const from = await this.row(input.fromId);
    if (input.path !== undefined && input.path !== from.path) {
      throw new ConfigError("INVALID_INPUT", `History entry ${from.id} belongs to ${from.path}, not ${input.path}`, {
        path: from.path,
      });
    }
    if (input.toId === "live") {
      const live = await this.liveContent(from.path);
      const d = diffText(from.content, live.content);
      return {
        from: { id: from.id, label: label(from) },
        to: { id: "live", label: live.label },
        unified: d.unified,
        hunks: d.hunks,
      };
    }
    const to = await this.row(input.toId);
    const d = diffText(from.content, to.content);
    return {
      from: { id: from.id, label: label(from) },
      to: { id: to.id, label: label(to) },
      unified: d.unified,
      hunks: d.hunks,
    };
  }

  private async liveContent(path: string): Promise<{ content: string; label: string }> {
    try {
      const node = await this.config.get(path);
      return { content: node.data, label: `live (v${node.stat.version})` };
    } catch (err) {
      if (ConfigError.is(err, "NOT_FOUND")) return { content: "", label: "live (deleted)" };
      throw err;
    }
  }

  /** Publishes the content of `toId` as a new version (source "rollback"); re-creates a deleted node. */
  async rollback(
    actor: Actor,
    input: { path: string; toId: string; expectedVersion: number; message?: string },
  ): Promise<{ stat: StatDTO; entry: HistoryEntryDTO | null }> {
    checkPath(input.path);
    const row = await this.row(input.toId);
    if (row.path !== input.path)
      throw new ConfigError("INVALID_INPUT", `History entry ${row.id} belongs to ${row.path}, not ${input.path}`, {
        path: row.path,
      });
    if (row.op === "delete")
      throw new ConfigError("INVALID_INPUT", `Entry ${row.id} records a deletion; pick a version with content`, {
        id: row.id,
      });
    const bytes = this.textOf(row);
    const meta = {
      actor,
      message: input.message?.trim() || `Rollback to version ${row.version} (entry ${row.id})`,
      source: "rollback" as const,
    };
    const exists = await this.link.session.exists(input.path);
    const create = !exists && input.expectedVersion === -1;
    const item = {
      path: input.path,
      op: create ? ("create" as const) : ("update" as const),
      fromVersion: create ? -1 : input.expectedVersion,
      toContent: row.content,
    };
    const stat = await this.direct.publish(
      actor,
      meta.message,
      item,
      async (releaseId) => {
        const st = create
          ? (await this.writer.create(input.path, bytes, row.content, "PERSISTENT", { ...meta, releaseId })).stat
          : await this.writer.setData(input.path, bytes, row.content, input.expectedVersion, { ...meta, releaseId });
        return { value: st, toVersion: st.version, zxid: st.mzxid };
      },
      { anyPolicy: true },
    );
    const statDto = toStatDTO(stat);
    await this.config.audit(
      actor,
      "history.rollback",
      input.path,
      `to entry ${row.id} (v${row.version}) → v${statDto.version}`,
    );
    return { stat: statDto, entry: await this.entryAt(input.path, statDto.mzxid) };
  }

  /**
   * Re-creates a deleted node with the content of its last version before the delete: a create
   * recorded with source "restore" and audited as `history.restore`, written through the same
   * writer as a rollback so history and audit see it like any other change.
   */
  async restore(
    actor: Actor,
    input: { path: string; message?: string },
  ): Promise<{ stat: StatDTO; from: string; entry: HistoryEntryDTO | null }> {
    checkPath(input.path);
    if (await this.link.session.exists(input.path))
      throw new ConfigError("ALREADY_EXISTS", `${input.path} exists; only a deleted node can be restored`, {
        path: input.path,
      });
    const last = await this.lastContentRow(input.path);
    if (!last) throw new ConfigError("NOT_FOUND", `No version of ${input.path} to restore`, { path: input.path });
    const bytes = this.textOf(last);
    const message = input.message?.trim() || `Restore version ${last.version} after its deletion`;
    const item = { path: input.path, op: "create" as const, fromVersion: -1, toContent: last.content };
    const created = await this.direct.publish(
      actor,
      message,
      item,
      async (releaseId) => {
        const c = await this.writer.create(input.path, bytes, last.content, "PERSISTENT", {
          actor,
          message,
          source: "restore",
          releaseId,
        });
        return { value: c, toVersion: c.stat.version, zxid: c.stat.mzxid };
      },
      { anyPolicy: true },
    );
    const stat = toStatDTO(created.stat);
    await this.config.audit(actor, "history.restore", input.path, `from entry ${last.id} (v${last.version})`);
    return { stat, from: last.id, entry: await this.entryAt(input.path, stat.mzxid) };
  }

  /**
   * The history row of the write that landed at `mzxid`, so a caller can show the new version at
   * once (the writer awaits its row; null in the rare case it is still pending).
   */
  private async entryAt(path: string, mzxid: string): Promise<HistoryEntryDTO | null> {
    const newest = (await this.store.list(path, { limit: 1 })).items[0];
    return newest && newest.mzxid === mzxid ? toHistoryDTO(newest) : null;
  }

  /** The newest history row of `path` that holds content (not a delete), with its content. */
  private async lastContentRow(path: string): Promise<HistoryEntryWithContent | null> {
    let cursor: string | undefined;
    for (;;) {
      const page = await this.store.list(path, { limit: 50, cursor });
      const hit = page.items.find((r) => r.op !== "delete");
      if (hit) return this.row(hit.id);
      if (!page.nextCursor) return null;
      cursor = page.nextCursor;
    }
  }

  /** A version's content as bytes to write again; binary versions are refused. */
  private textOf(row: HistoryEntryWithContent): Buffer {
    if (row.encoding !== "utf8")
      throw new ConfigError("INVALID_CONTENT", "Binary history entries cannot be written back through the console", {
        format: "text",
        line: 0,
        column: 0,
      });
    return checkContent(row.path, row.content, this.link.maxDataBytes);
  }

  async listAudit(input: AuditFilter & { limit?: number; cursor?: string }): Promise<{
    items: AuditEntryDTO[];
    nextCursor: string | null;
  }> {
    const page = await this.store.listAudit({
      ...auditQuery(input),
      limit: clampLimit(input.limit),
      cursor: input.cursor,
    });
    return { items: await this.readable(page.items), nextCursor: page.nextCursor };
  }

  /** Every row matching the filter, newest first, a page at a time: what an export streams. */
  async *exportAudit(input: AuditFilter): AsyncGenerator<AuditEntryDTO[]> {
    let cursor: string | undefined;
    do {
      const page = await this.store.listAudit({ ...auditQuery(input), limit: 500, cursor });
      yield await this.readable(page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  /** The actions and actors the audit log holds, for the screen's filters. */
  auditFacets(): Promise<{ actions: string[]; actors: string[] }> {
    return this.store.auditFacets();
  }

  /** Readable rows whose versions link to their history entries (one lookup per page). */
  private async readable(rows: AuditEntry[]): Promise<AuditEntryDTO[]> {
    const items = rows.map(toAuditDTO);
    const refs = new Map<string, { path: string; version: number }>();
    for (const it of items)
      for (const v of it.versions)
        if (it.path !== undefined && v.entryId === undefined)
          refs.set(`${v.version}:${it.path}`, { path: it.path, version: v.version });
    if (refs.size > 0) linkVersions(items, await this.store.versionRows([...refs.values()]));
    return items;
  }
}

/** What the audit screen and its export filter on; times are epoch milliseconds. */
export interface AuditFilter {
  path?: string;
  author?: string;
  /** exact, or a family such as "config.*" */
  action?: string;
  since?: number;
  until?: number;
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

function clampLimit(limit: number | undefined): number {
  return Math.max(1, Math.min(limit ?? 50, 500));
}
