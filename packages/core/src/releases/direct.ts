/**
 * Single-key saves as releases (issue 14). Under a `direct` policy a save publishes at once, as
 * it always did, and also leaves a one-key Release record (version from → to, the write's zxid)
 * so the Releases screen and per-key history show every publish. Under a `review` policy the
 * save is refused: the change has to go through a change request. Per-key rollback and restore
 * (publisher actions) are recorded as one-key releases too, under any policy.
 */
import type { ReleaseItemRecord, ReleaseStore } from "@conifer/history";
import type { DecodedData, Encoding } from "../content.ts";
import type { Actor } from "../dto.ts";
import { ConfigError } from "../errors.ts";
import type { HistoryPort } from "../history-port.ts";
import type { Logger } from "../logger.ts";
import { resolvePolicy } from "./policies.ts";
import { parentItem, type GrayGuard } from "./release-writer.ts";

export interface DirectItem {
  path: string;
  op: ReleaseItemRecord["op"];
  /** -1 for a create */
  fromVersion: number;
  toContent: string;
  /** the content replaced, when the caller read it (a recursive delete); else taken from history */
  fromContent?: string;
  fromEncoding?: Encoding;
  /** known before the write: a delete leaves the version it deleted */
  toVersion?: number;
}

export interface DirectOutcome<T> {
  value: T;
  /** the key's version after the write (for a delete, the version deleted) */
  toVersion: number;
  zxid: bigint;
  /** the path actually written (a sequential create lands on another name) */
  path?: string;
  /** the missing parents the write created empty first (recorded as the release's parents) */
  parents?: string[];
}

export class DirectReleases {
  constructor(
    private readonly store: ReleaseStore,
    private readonly history: Pick<HistoryPort, "latest">,
    private readonly log: Logger,
    private readonly grayGuard: GrayGuard = () => {},
  ) {}

  /** Refuses a save under a `review` policy (FORBIDDEN naming the prefix). */
  async checkDirect(path: string): Promise<void> {
    const policy = resolvePolicy(await this.store.policies(), path);
    if (policy.mode === "review")
      throw new ConfigError(
        "FORBIDDEN",
        `${path} is under the review policy of ${policy.prefix}: propose a change request and have it approved`,
        { path, action: "write", reason: "review" },
      );
  }

  /**
   * Runs `write` (given the release id to link its intents and rows to) as a release of `item`,
   * the key asked for, and of `more`, the other nodes the same write changes (a recursive
   * delete's subtree), so rolling the release back restores all of them.
   */
  async publish<T>(
    actor: Actor,
    message: string,
    item: DirectItem,
    write: (releaseId: string) => Promise<DirectOutcome<T>>,
    /** per-key rollback and restore: publisher actions, allowed under any policy like a release rollback */
    opts: { anyPolicy?: boolean; more?: readonly DirectItem[] } = {},
  ): Promise<T> {
    // under any policy: a rollback or restore would bypass the gray release as much as a save
    this.grayGuard([item.path, ...(opts.more ?? []).map((i) => i.path)]);
    if (!opts.anyPolicy) await this.checkDirect(item.path);
    const record = async (i: DirectItem): Promise<ReleaseItemRecord> => {
      const from =
        i.fromContent !== undefined
          ? { text: i.fromContent, encoding: i.fromEncoding ?? "utf8" }
          : i.op === "create"
            ? { text: "", encoding: "utf8" as const }
            : await this.currentContent(i.path, i.fromVersion);
      return {
        path: i.path,
        op: i.op,
        fromVersion: i.fromVersion,
        toVersion: i.toVersion ?? null,
        // a save writes text; binary versions are refused before they get here (history-service.ts)
        toContent: i.toContent,
        fromContent: from.text,
        fromEncoding: from.encoding,
      };
    };
    const main = await record(item);
    const more = await Promise.all((opts.more ?? []).map(record));
    const release = await this.store.createRelease({
      changeId: null,
      title: message,
      message,
      authors: [actor.author],
      approvers: [],
      publishedBy: actor.author,
      rollbackOf: null,
      items: [main, ...more].map((i) => ({ ...i, toVersion: null })),
    });
    let out: DirectOutcome<T>;
    try {
      out = await write(release.id);
    } catch (err) {
      // an unknown outcome may still have landed: the release stays pending, its row says so
      if (!(ConfigError.is(err) && err.details.outcome === "unknown"))
        await this.store.finishRelease(release.id, { status: "failed" }).catch((e: unknown) => {
          this.log.error(`release ${release.id} not marked failed`, e);
        });
      throw err;
    }
    try {
      await this.store.finishRelease(release.id, {
        status: "published",
        zxid: out.zxid,
        items: [
          { ...main, path: out.path ?? item.path, toVersion: out.toVersion },
          ...more,
          ...(out.parents ?? []).map((path) => parentItem({ path, op: "create" })),
        ],
      });
    } catch (err) {
      // the save is live: failing it now would invite a blind retry
      this.log.error(`release ${release.id} of ${item.path} applied but not marked published`, err);
    }
    return out.value;
  }

  /**
   * The content the save replaces, from history rather than a backend read, so the save's backend
   * traffic stays exactly what it was. Blank when history does not hold that version (yet).
   */
  private async currentContent(path: string, version: number): Promise<DecodedData> {
    const latest = await this.history.latest(path).catch(() => null);
    return latest && latest.op !== "delete" && (version === -1 || latest.version === version)
      ? { text: latest.content, encoding: latest.encoding }
      : { text: "", encoding: "utf8" };
  }
}
