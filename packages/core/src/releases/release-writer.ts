/**
 * A release's backend write: ONE multi, every item conditional on the version it started from
 * (setData / delete at that version, create where nothing is), so every key changes or none does.
 * It follows the write pipeline of config-writer.ts: one intent per key (linked to the release),
 * the multi, then one row per key recorded by the HistoryRecorder at the multi's zxid. When the
 * multi is refused, the keys that moved are read back and named; nothing was written.
 * Parents: a create whose parent is missing creates it empty in the same multi, and the release
 * records it (`parent`), so that its rollback removes it again while it is still empty.
 */
import { CoordinatorError, joinPath, parentOf, type Op, type OpResult } from "@conifer/coordinator";
import type { ChangeOp, ReleaseItemRecord } from "@conifer/history";
import type { BackendLink } from "../backend-link.ts";
import { encodeData, hashBytes, type Encoding } from "../content.ts";
import type { WriteMeta } from "../config-writer.ts";
import { ConfigError, toConfigError } from "../errors.ts";
import type { HistoryPort, RecordInput } from "../history-port.ts";
import type { HistoryRecorder } from "../history-recorder.ts";
import type { Logger } from "../logger.ts";
import { pauseAt } from "../pause-points.ts";
import { checkContent, checkSize } from "../validation.ts";

export interface MultiItem {
  path: string;
  op: ChangeOp;
  /** "" for a delete */
  content: string;
  /** "base64" for bytes that are not UTF-8 (a rollback restoring another client's data); default "utf8" */
  encoding?: Encoding;
  /** the live version the item started from; -1 for a create */
  baseVersion: number;
  /**
   * An empty parent a rollback removes (a delete at version 0, chosen by `emptyParents`). Should
   * it gain a child or data before the multi applies, it is left out instead of failing the multi.
   */
  parent?: boolean;
}

/** A parent the multi created or removed. */
export interface ParentChange {
  path: string;
  op: "create" | "delete";
}

export type MultiOutcome =
  | { ok: true; zxid: bigint; toVersions: Map<string, number>; parents: ParentChange[] }
  | { ok: false; conflicts: string[] };

/** The release item of a parent created (version -1 → 0) or removed (version 0 → deleted). */
export function parentItem(p: ParentChange): ReleaseItemRecord {
  const fromVersion = p.op === "create" ? -1 : 0;
  return { path: p.path, op: p.op, fromVersion, toVersion: 0, fromContent: "", toContent: "", parent: true };
}

interface Planned {
  path: string;
  op: ChangeOp;
  content: string;
  encoding: Encoding;
  bytes: Buffer;
  version: number;
  /** an empty parent a create needs or a rollback removes, not a key of the release */
  parent: boolean;
}

const depth = (p: string) => p.split("/").length;

/** "/a/b/c" → ["/a", "/a/b"] */
function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let p = parentOf(path); p !== "/"; p = parentOf(p)) out.unshift(p);
  return out;
}
const LOST = new Set(["CONNECTION_LOSS", "OPERATION_TIMEOUT", "REQUEST_TIMEOUT"]);

/** The index of the sub-op a refused multi failed at, when the backend says. */
function failedOp(err: unknown): number | null {
  if (!CoordinatorError.is(err) || !err.opCodes) return null;
  const n = err.opCodes.findIndex((c) => c !== "OK" && c !== "RUNTIME_INCONSISTENCY");
  return n < 0 ? null : n;
}

/** Throws INVALID_CONTENT (naming the key) or TOO_LARGE before anything is sent. */
export function validateItems(items: readonly MultiItem[], maxDataBytes: number): Map<string, Buffer> {
  const bytes = new Map<string, Buffer>();
  for (const i of items) {
    if (i.op === "delete") continue;
    if (i.encoding === "base64") {
      // another client's bytes going back as they were: no format of ours to check, only the size
      bytes.set(i.path, checkSize(encodeData(i.content, "base64"), maxDataBytes));
      continue;
    }
    try {
      bytes.set(i.path, checkContent(i.path, i.content, maxDataBytes));
    } catch (err) {
      if (ConfigError.is(err, "INVALID_CONTENT"))
        throw new ConfigError("INVALID_CONTENT", `${i.path}: ${err.message}`, err.details);
      throw err;
    }
  }
  return bytes;
}

/** Refuses keys held by an active gray release other than `grayId` (gray-view.ts). */
export type GrayGuard = (paths: readonly string[], grayId?: string) => void;

/** What a release's multi carries besides its keys: a gray promote removes its gray znode in it. */
export interface ApplyExtras {
  /** appended after the keys' ops, all-or-nothing with them */
  extraOps?: Op[];
  /** the gray release being promoted: its own keys are not refused */
  grayId?: string;
}

export class ReleaseWriter {
  constructor(
    private readonly link: BackendLink,
    private readonly history: HistoryPort,
    private readonly recorder: HistoryRecorder,
    private readonly log: Logger,
    private readonly grayGuard: GrayGuard = () => {},
  ) {}

  get maxDataBytes(): number {
    return this.link.maxDataBytes;
  }

  /** The missing parents the creates among `items` need, shallow first; the multi creates them empty. */
  async missingParents(items: readonly MultiItem[]): Promise<string[]> {
    const creating = new Set(items.filter((i) => i.op === "create").map((i) => i.path));
    const parents = new Set<string>();
    for (const path of creating)
      for (const a of ancestors(path))
        if (!creating.has(a) && !parents.has(a) && (await this.link.session.exists(a)) === null) parents.add(a);
    return [...parents].sort((a, b) => depth(a) - depth(b));
  }

  /**
   * Which of `candidates` (parents a release created) are still as it left them, empty and
   * unchanged (version 0, no data), with no child left once `deleting` and the deeper candidates
   * are gone: those its rollback removes. Any other stays, and is no reason to fail.
   */
  async emptyParents(candidates: readonly string[], deleting: readonly string[]): Promise<string[]> {
    const gone = new Set(deleting);
    const out: string[] = [];
    for (const path of [...candidates].sort((a, b) => depth(b) - depth(a))) {
      const st = await this.link.session.exists(path);
      if (!st || st.version !== 0 || st.dataLength !== 0 || st.ephemeralOwner !== 0n) continue;
      const children = await this.link.session.getChildren(path).then(
        (r) => r.children,
        () => null,
      );
      if (children?.every((c) => gone.has(joinPath(path, c)))) {
        gone.add(path);
        out.push(path);
      }
    }
    return out;
  }

  /** Parents first, creates shallow to deep, then updates, then deletes (parents too) deep to shallow. */
  private async plan(items: readonly MultiItem[]): Promise<Planned[]> {
    const bytes = validateItems(items, this.link.maxDataBytes);
    const parents = await this.missingParents(items);
    const of = (i: MultiItem): Planned => ({
      path: i.path,
      op: i.op,
      content: i.content,
      encoding: i.encoding ?? "utf8",
      bytes: bytes.get(i.path) ?? Buffer.alloc(0),
      version: i.baseVersion,
      parent: i.parent === true,
    });
    const byDepth = (a: Planned, b: Planned) => depth(a.path) - depth(b.path);
    return [
      ...parents.map((path) => ({
        path,
        op: "create" as const,
        content: "",
        encoding: "utf8" as const,
        bytes: Buffer.alloc(0),
        version: -1,
        parent: true,
      })),
      ...items.filter((i) => i.op === "create").map(of),
    ]
      .sort(byDepth)
      .concat(items.filter((i) => i.op === "update").map(of))
      .concat(
        items
          .filter((i) => i.op === "delete")
          .map(of)
          .sort((a, b) => byDepth(b, a)),
      );
  }

  private toOp(p: Planned): Op {
    if (p.op === "create") return { type: "create", path: p.path, data: p.bytes, options: { acl: this.link.acl } };
    if (p.op === "update") return { type: "setData", path: p.path, data: p.bytes, version: p.version };
    return { type: "delete", path: p.path, version: p.version };
  }

  /** The items whose key is no longer where the item started from (parents are no keys). */
  async moved(all: readonly MultiItem[]): Promise<string[]> {
    const items = all.filter((i) => !i.parent);
    const out: string[] = [];
    const stats = await Promise.all(items.map((i) => this.link.session.exists(i.path)));
    items.forEach((i, n) => {
      const st = stats[n] ?? null;
      const ok = i.op === "create" ? st === null : st !== null && st.version === i.baseVersion;
      if (!ok) out.push(i.path);
    });
    return out;
  }

  async apply(
    items: readonly MultiItem[],
    meta: WriteMeta & { releaseId: string },
    extras: ApplyExtras = {},
  ): Promise<MultiOutcome> {
    this.grayGuard(
      items.filter((i) => !i.parent).map((i) => i.path),
      extras.grayId,
    );
    const planned = await this.plan(items);
    return this.recorder.ownWrite(
      planned.map((p) => p.path),
      async (write) => {
        const intents: string[] = [];
        for (const p of planned) {
          const what = p.op === "create" ? "Create parent of a key" : "Remove the parent created for a key";
          const { id } = await this.history.beginIntent({
            path: p.path,
            op: p.op,
            expectedVersion: p.op === "create" ? undefined : p.version,
            contentHash: hashBytes(p.bytes),
            author: meta.actor.author,
            message: p.parent ? `${what} of release ${meta.releaseId}` : meta.message,
            source: meta.source,
            releaseId: meta.releaseId,
          });
          write.hold(id);
          intents.push(id);
        }
        // a no-op unless a crash test stops the process here (pause-points.ts)
        await pauseAt("publish:before-multi");
        let sent: { results: OpResult[]; zxid: bigint };
        try {
          sent = await this.send(planned, intents, extras.extraOps ?? []);
        } catch (err) {
          const lost = CoordinatorError.is(err) && LOST.has(err.code);
          for (const id of intents) {
            // an answer lost may hide an applied multi: the intents stay pending for the recorder
            if (lost) write.release(id);
            else await this.close(id);
          }
          if (lost) {
            const mapped = toConfigError(err);
            throw new ConfigError(
              mapped.code,
              `${mapped.message}; the release may or may not have been published: it is settled by the next reconcile`,
              { ...mapped.details, outcome: "unknown" },
              { cause: err },
            );
          }
          const conflicts = await this.moved(items).catch(() => []);
          if (conflicts.length > 0) return { ok: false, conflicts };
          throw toConfigError(err);
        }
        const { results, zxid } = sent;
        await pauseAt("publish:after-multi");
        const toVersions = new Map<string, number>();
        const parents: ParentChange[] = [];
        for (const [n, p] of planned.entries()) {
          const r = results[n];
          const stat = r && (r.type === "setData" || r.type === "create") ? r.stat : undefined;
          const version = p.op === "delete" ? p.version : (stat?.version ?? (p.op === "create" ? 0 : p.version + 1));
          if (p.parent) parents.push({ path: p.path, op: p.op === "create" ? "create" : "delete" });
          else toVersions.set(p.path, version);
          await this.recorded(intents[n] ?? "", {
            path: p.path,
            op: p.op,
            content: p.content,
            encoding: p.encoding,
            author: meta.actor.author,
            message: meta.message,
            source: meta.source,
            version,
            mzxid: zxid,
            czxid: stat?.czxid ?? (p.op === "create" ? zxid : 0n),
            at: stat?.mtime,
            releaseId: meta.releaseId,
          });
        }
        return { ok: true, zxid, toVersions, parents };
      },
    );
  }

  /**
   * The multi. A parent to remove that gained a child or data since it was looked at refuses it:
   * that parent stays (its intent closed) and the multi is sent again without it; each retry
   * drops one, so this ends. `planned` and `intents` lose the dropped entries.
   */
  private async send(
    planned: Planned[],
    intents: string[],
    extraOps: Op[],
  ): Promise<{ results: OpResult[]; zxid: bigint }> {
    for (;;) {
      try {
        return await this.link.session.multi([...planned.map((p) => this.toOp(p)), ...extraOps]);
      } catch (err) {
        const n = failedOp(err);
        const p = n === null ? undefined : planned[n];
        if (n === null || !p?.parent || p.op !== "delete") throw err;
        planned.splice(n, 1);
        await this.close(intents.splice(n, 1)[0] ?? "");
      }
    }
  }

  private async close(intentId: string): Promise<void> {
    await this.history.completeIntent(intentId, { outcome: "failed" }).catch((err: unknown) => {
      this.log.error(`could not complete write intent ${intentId}`, err);
    });
  }

  /** The release is live whatever happens here: an unrecorded row is recorded later from its intent. */
  private async recorded(intentId: string, row: RecordInput): Promise<void> {
    const outcome = await this.recorder.recordOwn(intentId, row);
    if (!outcome.recorded)
      this.log.error(
        `${row.op} of ${row.path} (release ${String(row.releaseId)}) applied at zxid ${String(row.mzxid)}, but its ` +
          `history row is not recorded yet (${outcome.reason}); intent ${intentId} stays pending`,
      );
  }
}
