/**
 * The write pipeline every change made through Conifer follows, in this order:
 *   write intent → conditional backend write → history row → complete intent.
 * If the process dies between the backend write and the history row, the pending intent lets
 * the reconciler (or the change feed) attribute the change to its real author later.
 * Audit rows are added by the callers (ConfigService), once per user action.
 */
import { CoordinatorError, parentOf, type CreateModeName, type Stat } from "@conifer/coordinator";
import type { BackendLink } from "./backend-link.ts";
import { decodeData, hashText } from "./content.ts";
import type { Actor, HistorySource } from "./dto.ts";
import { toStatDTO } from "./dto.ts";
import { ConfigError, toConfigError } from "./errors.ts";
import type { HistoryOp, HistoryPort, RecordInput } from "./history-port.ts";
import type { Logger } from "./logger.ts";
import type { WriteTracker } from "./write-tracker.ts";

export interface WriteMeta {
  actor: Actor;
  message: string;
  source: HistorySource;
}

export class ConfigWriter {
  constructor(
    private readonly link: BackendLink,
    private readonly history: HistoryPort,
    private readonly tracker: WriteTracker,
    private readonly log: Logger,
  ) {}

  private async begin(
    path: string,
    op: HistoryOp,
    content: string,
    meta: WriteMeta,
    expectedVersion?: number,
  ): Promise<string> {
    const id = await this.history.beginIntent({
      path,
      op,
      expectedVersion,
      contentHash: hashText(content),
      author: meta.actor.author,
      message: meta.message,
      source: meta.source,
    });
    this.tracker.ownIntents.add(id.id);
    return id.id;
  }

  private async finish(intentId: string, outcome: "applied" | "failed", mzxid?: bigint): Promise<void> {
    try {
      await this.history.completeIntent(intentId, { outcome, mzxid });
    } catch (err) {
      this.log.error(`could not complete write intent ${intentId}`, err);
    } finally {
      this.tracker.ownIntents.delete(intentId);
    }
  }

  /**
   * A write that failed before the backend answered (connection lost while it was in flight, or
   * still queued when the session gave up) may or may not have been applied. Its intent stays
   * pending, no longer counted as this process's own, so if the change did land the recorder
   * attributes it to its author (after the usual grace) instead of calling it "external"; the
   * reconciler closes it later if it did not. The caller is told the outcome is unknown.
   */
  private async failed(intentIds: string[], err: unknown, path: string): Promise<ConfigError> {
    const unknown =
      CoordinatorError.is(err) &&
      (err.code === "CONNECTION_LOSS" || err.code === "OPERATION_TIMEOUT" || err.code === "REQUEST_TIMEOUT");
    for (const id of intentIds) {
      if (unknown) this.tracker.ownIntents.delete(id);
      else await this.finish(id, "failed");
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

  /** Records the history row; a failure here leaves the intent pending for the reconciler. */
  private async recordAfterWrite(intentId: string, row: RecordInput): Promise<void> {
    try {
      await this.history.record(row);
    } catch (err) {
      this.log.error(`history row for ${row.path}@${row.mzxid} not written; the reconciler will retry`, err);
      this.tracker.ownIntents.delete(intentId);
      return;
    }
    await this.finish(intentId, "applied", BigInt(row.mzxid));
  }

  /** Conditional setData. BAD_VERSION becomes CONFLICT carrying what is there now. */
  async setData(path: string, bytes: Buffer, content: string, expectedVersion: number, meta: WriteMeta): Promise<Stat> {
    return this.tracker.run([path], async () => {
      const intentId = await this.begin(path, "update", content, meta, expectedVersion);
      let stat: Stat;
      try {
        stat = await this.link.session.setData(path, bytes, expectedVersion);
      } catch (err) {
        if (CoordinatorError.is(err, "BAD_VERSION")) {
          await this.finish(intentId, "failed");
          throw await this.conflict(path, expectedVersion);
        }
        throw await this.failed([intentId], err, path);
      }
      await this.recordAfterWrite(intentId, {
        path,
        version: stat.version,
        mzxid: stat.mzxid,
        czxid: stat.czxid,
        op: "update",
        content,
        encoding: "utf8",
        at: stat.mtime,
        author: meta.actor.author,
        message: meta.message,
        source: meta.source,
      });
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
    return this.tracker.run([path], async () => {
      const intentId = await this.begin(path, "create", content, meta);
      let created: { path: string; stat: Stat };
      try {
        created = await this.link.session.create(path, bytes, { mode, acl: this.link.acl });
      } catch (err) {
        throw await this.failed([intentId], err, path);
      }
      // A sequential create lands on another name; the feed waits on that name too.
      await this.tracker.run([created.path], () =>
        this.recordAfterWrite(intentId, {
          path: created.path,
          version: created.stat.version,
          mzxid: created.stat.mzxid,
          czxid: created.stat.czxid,
          op: "create",
          content,
          encoding: "utf8",
          at: created.stat.mtime,
          author: meta.actor.author,
          message: meta.message,
          source: meta.source,
        }),
      );
      return created;
    });
  }

  /**
   * Deletes `nodes` (children before parents, `path` last, conditional on expectedVersion) in
   * one all-or-nothing multi, then records one delete row per node.
   */
  async deleteTree(
    path: string,
    nodes: { path: string; version: number }[],
    expectedVersion: number,
    meta: WriteMeta,
  ): Promise<string[]> {
    const paths = nodes.map((n) => n.path);
    return this.tracker.run(paths, async () => {
      const intents = new Map<string, string>();
      for (const n of nodes)
        intents.set(
          n.path,
          await this.begin(n.path, "delete", "", meta, n.path === path ? expectedVersion : undefined),
        );
      try {
        if (nodes.length === 1) await this.link.session.delete(path, expectedVersion);
        else
          await this.link.session.multi(
            nodes.map((n) => ({
              type: "delete" as const,
              path: n.path,
              version: n.path === path ? expectedVersion : -1,
            })),
          );
      } catch (err) {
        if (CoordinatorError.is(err, "BAD_VERSION")) {
          for (const id of intents.values()) await this.finish(id, "failed");
          throw await this.conflict(path, expectedVersion);
        }
        throw await this.failed([...intents.values()], err, path);
      }
      // The delete's zxid is the parent's pzxid right after it (protocol §1.4).
      const zxid = await this.deleteZxid(path);
      for (const n of nodes) {
        await this.recordAfterWrite(intents.get(n.path)!, {
          path: n.path,
          version: n.version,
          mzxid: zxid,
          czxid: 0n,
          op: "delete",
          content: "",
          encoding: "utf8",
          author: meta.actor.author,
          message: meta.message,
          source: meta.source,
        });
      }
      return paths;
    });
  }

  async deleteZxid(path: string): Promise<bigint> {
    const parent = parentOf(path) || "/";
    try {
      const st = await this.link.session.exists(parent);
      return st?.pzxid ?? 0n;
    } catch {
      return 0n;
    }
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
