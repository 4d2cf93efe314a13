/**
 * The write pipeline every change made through Conifer follows, in this order:
 *   write intent → conditional backend write → its row, recorded by the HistoryRecorder.
 * The writer records the intent and does the backend write; the row is the recorder's (the ONE
 * writer of history rows), keyed on the zxid the backend answered, and the writer awaits it.
 * If the process dies between the backend write and the row, the pending intent lets the
 * reconciler (or the change feed) attribute the change to its real author later.
 * Audit rows are added by the callers (ConfigService), once per user action.
 */
import { CoordinatorError, type CreateModeName, type Stat } from "@conifer/coordinator";
import type { BackendLink } from "./backend-link.ts";
import { decodeData, hashText } from "./content.ts";
import type { Actor, HistorySource } from "./dto.ts";
import { toStatDTO } from "./dto.ts";
import { ConfigError, toConfigError } from "./errors.ts";
import type { HistoryOp, HistoryPort, RecordInput } from "./history-port.ts";
import type { HistoryRecorder } from "./history-recorder.ts";
import type { Logger } from "./logger.ts";
import type { TrackedWrite } from "./write-tracker.ts";

export interface WriteMeta {
  actor: Actor;
  message: string;
  source: HistorySource;
  /** the release this write publishes (issue 14): its intent and history row are linked to it */
  releaseId?: string;
}

export class ConfigWriter {
  constructor(
    private readonly link: BackendLink,
    private readonly history: HistoryPort,
    private readonly recorder: HistoryRecorder,
    private readonly log: Logger,
  ) {}

  private async begin(
    write: TrackedWrite,
    path: string,
    op: HistoryOp,
    content: string,
    meta: WriteMeta,
    expectedVersion?: number,
  ): Promise<string> {
    const { id } = await this.history.beginIntent({
      path,
      op,
      expectedVersion,
      contentHash: hashText(content),
      author: meta.actor.author,
      message: meta.message,
      source: meta.source,
      releaseId: meta.releaseId ?? null,
    });
    write.hold(id);
    return id;
  }

  /** The backend refused the write: nothing changed, the intent is closed as failed. */
  private async refused(intentId: string): Promise<void> {
    try {
      await this.history.completeIntent(intentId, { outcome: "failed" });
    } catch (err) {
      this.log.error(`could not complete write intent ${intentId}`, err);
    }
  }

  /**
   * A write that failed before the backend answered (connection lost while it was in flight, or
   * still queued when the session gave up) may or may not have been applied. Its intent stays
   * pending, no longer held by this write, so if the change did land the recorder attributes it
   * to its author (after the usual grace) instead of calling it "external"; the reconciler
   * closes it later if it did not. The caller is told the outcome is unknown.
   */
  private async failed(write: TrackedWrite, intentIds: string[], err: unknown, path: string): Promise<ConfigError> {
    const unknown =
      CoordinatorError.is(err) &&
      (err.code === "CONNECTION_LOSS" || err.code === "OPERATION_TIMEOUT" || err.code === "REQUEST_TIMEOUT");
    for (const id of intentIds) {
      if (unknown) write.release(id);
      else await this.refused(id);
    }
    const mapped = toConfigError(err, path);
    if (!unknown) return mapped;
    return new ConfigError(
      mapped.code,
      `${mapped.message}; the change may or may not have been applied: reload before publishing again`,
      { ...mapped.details, outcome: "unknown" },
      { cause: err },
    );
  }

  /**
   * Awaits the recorder's row for a write the backend applied at `row.mzxid`. The change is live
   * whatever happens here, so a row not recorded is no error for the caller: the intent stays
   * pending and the recorder records it later from the change feed or the next reconcile.
   */
  private async recorded(intentId: string, row: RecordInput): Promise<void> {
    const outcome = await this.recorder.recordOwn(intentId, row);
    if (!outcome.recorded)
      this.log.error(
        `${row.op} of ${row.path} applied at zxid ${String(row.mzxid)}, but its history row is not recorded yet ` +
          `(${outcome.reason}); intent ${intentId} stays pending and is recorded from the change feed or the next reconcile`,
      );
  }

  private row(path: string, op: HistoryOp, content: string, meta: WriteMeta, at: Partial<RecordInput>) {
    return {
      path,
      op,
      content,
      encoding: "utf8" as const,
      author: meta.actor.author,
      message: meta.message,
      source: meta.source,
      version: 0,
      mzxid: 0n,
      czxid: 0n,
      releaseId: meta.releaseId ?? null,
      ...at,
    } satisfies RecordInput;
  }

  /** Conditional setData. BAD_VERSION becomes CONFLICT carrying what is there now. */
  async setData(path: string, bytes: Buffer, content: string, expectedVersion: number, meta: WriteMeta): Promise<Stat> {
    return this.recorder.ownWrite([path], async (write) => {
      const intentId = await this.begin(write, path, "update", content, meta, expectedVersion);
      let applied: { stat: Stat; zxid: bigint };
      try {
        applied = await this.link.session.setData(path, bytes, expectedVersion);
      } catch (err) {
        if (CoordinatorError.is(err, "BAD_VERSION")) {
          await this.refused(intentId);
          throw await this.conflict(path, expectedVersion);
        }
        throw await this.failed(write, [intentId], err, path);
      }
      const { stat, zxid } = applied;
      await this.recorded(
        intentId,
        this.row(path, "update", content, meta, {
          version: stat.version,
          mzxid: zxid,
          czxid: stat.czxid,
          at: stat.mtime,
        }),
      );
      return stat;
    });
  }

  async create(
    path: string,
    bytes: Buffer,
    content: string,
    mode: CreateModeName,
    meta: WriteMeta,
  ): Promise<{ path: string; stat: Stat }> {
    return this.recorder.ownWrite([path], async (write) => {
      const intentId = await this.begin(write, path, "create", content, meta);
      let created: { path: string; stat: Stat; zxid: bigint };
      try {
        created = await this.link.session.create(path, bytes, { mode, acl: this.link.acl });
      } catch (err) {
        throw await this.failed(write, [intentId], err, path);
      }
      // A sequential create lands on another name; the feed waits on that name too.
      write.also(created.path);
      const { stat, zxid } = created;
      await this.recorded(
        intentId,
        this.row(created.path, "create", content, meta, {
          version: stat.version,
          mzxid: zxid,
          czxid: stat.czxid,
          at: stat.mtime,
        }),
      );
      return { path: created.path, stat };
    });
  }

  /**
   * Deletes `nodes` (children before parents, `path` last, conditional on expectedVersion, every
   * other node on the version it was read at, so what was read is what is deleted) in one
   * all-or-nothing multi, then has one delete row per node recorded at the delete's zxid.
   */
  async deleteTree(
    path: string,
    nodes: { path: string; version: number }[],
    expectedVersion: number,
    meta: WriteMeta,
  ): Promise<{ deleted: string[]; zxid: bigint }> {
    const paths = nodes.map((n) => n.path);
    return this.recorder.ownWrite(paths, async (write) => {
      const intents = new Map<string, string>();
      for (const n of nodes)
        intents.set(
          n.path,
          await this.begin(write, n.path, "delete", "", meta, n.path === path ? expectedVersion : undefined),
        );
      let zxid: bigint;
      try {
        if (nodes.length === 1) ({ zxid } = await this.link.session.delete(path, expectedVersion));
        else
          ({ zxid } = await this.link.session.multi(
            nodes.map((n) => ({
              type: "delete" as const,
              path: n.path,
              version: n.path === path ? expectedVersion : n.version,
            })),
          ));
      } catch (err) {
        if (CoordinatorError.is(err, "BAD_VERSION")) {
          for (const id of intents.values()) await this.refused(id);
          const at = nodes[err.opCodes?.indexOf("BAD_VERSION") ?? -1]?.path ?? path;
          if (at === path) throw await this.conflict(path, expectedVersion);
          throw new ConfigError(
            "CONFLICT",
            `${at} changed while ${path} was being deleted with its subtree; nothing was deleted. Review it and delete again.`,
            { path: at },
          );
        }
        throw await this.failed(write, [...intents.values()], err, path);
      }
      for (const n of nodes) {
        const intentId = intents.get(n.path);
        if (intentId)
          await this.recorded(intentId, this.row(n.path, "delete", "", meta, { version: n.version, mzxid: zxid }));
      }
      return { deleted: paths, zxid };
    });
  }

  /** CONFLICT with what the caller needs to merge: the current version, content and Stat. */
  async conflict(path: string, expectedVersion: number): Promise<ConfigError> {
    try {
      const { data, stat } = await this.link.session.getData(path);
      const { text } = decodeData(data);
      return new ConfigError(
        "CONFLICT",
        `${path} changed since version ${expectedVersion}; it is now at version ${stat.version}. Review the current content and publish again.`,
        { currentVersion: stat.version, currentContent: text, currentStat: toStatDTO(stat), expectedVersion },
      );
    } catch (err) {
      if (CoordinatorError.is(err, "NO_NODE")) {
        return new ConfigError("CONFLICT", `${path} was deleted since version ${expectedVersion}`, {
          currentVersion: -1,
          currentContent: null,
          currentStat: null,
          expectedVersion,
        });
      }
      throw toConfigError(err, path);
    }
  }
}
