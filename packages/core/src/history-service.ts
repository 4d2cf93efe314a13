/**
 * History and audit as users see them: the versions of a path (newest first), one version with
 * its content, a diff between two versions or a version and what is live, rollback (the old
 * content published as a NEW version, never rewriting history), restore of a deleted node, and
 * the audit log (read in audit-log.ts).
 */
import { diffText, type DiffHunk } from "@conifer/formats";
import { clampLimit, exportAudit, listAudit, type AuditFilter } from "./audit-log.ts";
import type { ConfigService } from "./config-service.ts";
import { toHistoryDTO, toStatDTO, type Actor, type AuditEntryDTO, type HistoryEntryDTO, type StatDTO } from "./dto.ts";
import { ConfigError } from "./errors.ts";
import type { HistoryEntry, HistoryEntryWithContent, HistoryPort } from "./history-port.ts";
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

const label = (r: HistoryEntry): string => `v${r.version} · ${r.op} by ${r.author}`;

/** One side of a diff: a stored version or what is live. */
type DiffSide = { id: string; content: string; label: string };
const side = (r: HistoryEntryWithContent): DiffSide => ({ id: r.id, content: r.content, label: label(r) });

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
    const to = input.toId === "live" ? await this.liveContent(from.path) : side(await this.row(input.toId));
    const d = diffText(from.content, to.content);
    return {
      from: { id: from.id, label: label(from) },
      to: { id: to.id, label: to.label },
      unified: d.unified,
      hunks: d.hunks,
    };
  }

  private async liveContent(path: string): Promise<DiffSide> {
    try {
      const node = await this.config.get(path);
      return { id: "live", content: node.data, label: `live (v${node.stat.version})` };
    } catch (err) {
      if (ConfigError.is(err, "NOT_FOUND")) return { id: "live", content: "", label: "live (deleted)" };
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

  listAudit(
    input: AuditFilter & { limit?: number; cursor?: string },
  ): Promise<{ items: AuditEntryDTO[]; nextCursor: string | null }> {
    return listAudit(this.store, input);
  }

  /** Every row matching the filter, newest first, a page at a time: what an export streams. */
  exportAudit(input: AuditFilter): AsyncGenerator<AuditEntryDTO[]> {
    return exportAudit(this.store, input);
  }

  /** The actions and actors the audit log holds, for the screen's filters. */
  auditFacets(): Promise<{ actions: string[]; actors: string[] }> {
    return this.store.auditFacets();
  }
}
