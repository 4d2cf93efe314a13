/**
 * Gray releases (issue 16): new content for some keys served to a targeted part of the SDK
 * instances (gray-target.ts) while everybody else keeps the live content, then promoted to
 * everybody or aborted. The state is the gray znode (gray-record.ts); every change to it is a
 * conditional write on the znode's version, so two operators racing on one gray cannot both win.
 * While a gray is active its keys refuse direct edits (gray-view.ts `refuse`): the promote is
 * conditional on the live versions the gray started from, and an edit in between would be lost
 * to the targeted instances without anyone noticing.
 * Rights are release publishing's: `publish` on every key.
 */
import { randomBytes } from "node:crypto";
import { CoordinatorError, type Session } from "@conifer/coordinator";
import type { ReleaseRecord, ReleaseStore } from "@conifer/history";
import { authorize, can } from "../auth/authz.ts";
import type { BackendLink } from "../backend-link.ts";
import { formatOfPath } from "../dto.ts";
import { ConfigError, toConfigError } from "../errors.ts";
import type { HistoryPort } from "../history-port.ts";
import type { Logger } from "../logger.ts";
import { checkPath, GRAY_ROOT, isSystemPath } from "../paths.ts";
import { auditAction, type Caller } from "../releases/caller.ts";
import { readLive } from "../releases/drafts.ts";
import type { ChangeService } from "../releases/changes.ts";
import type { Publisher } from "../releases/publish.ts";
import { validateItems } from "../releases/release-writer.ts";
import { approvedChange, markPublished } from "./gray-change.ts";
import { decodeGray, encodeGray, GRAY_ID, grayPath, type GrayEntry, type GrayRecord } from "./gray-record.ts";
import { parseGrayTarget, type GrayTargetInput } from "./gray-target.ts";
import type { GrayView } from "./gray-view.ts";

/** keys of one gray release at most: it is served from memory by every server */
export const MAX_GRAY_KEYS = 50;

/** Either `keys` (a single-key or several-key change made here) or `changeId` (an approved change request). */
export interface GrayStartInput {
  title?: string;
  /** existing keys and their gray content */
  keys?: { path: string; content: string }[];
  /** an approved change request of updates: its content goes gray, its promote publishes the change */
  changeId?: string;
  target: GrayTargetInput;
}

export interface GrayDeps {
  link: BackendLink;
  view: GrayView;
  /** records a state this server wrote, so its listeners hear it before the watch confirms it */
  note: (id: string, entry: GrayEntry | null) => void;
  history: HistoryPort;
  store: ReleaseStore;
  publisher: Publisher;
  changes: ChangeService;
  log: Logger;
}

export class GrayService {
  constructor(private readonly d: GrayDeps) {}

  /** Creates /conifer/gray if missing (after /conifer exists). */
  async ensureRoot(session: Session = this.d.link.session): Promise<void> {
    try {
      await session.create(GRAY_ROOT, Buffer.alloc(0), { acl: this.d.link.acl });
    } catch (err) {
      if (!CoordinatorError.is(err, "NODE_EXISTS")) throw toConfigError(err, GRAY_ROOT);
    }
  }

  /** The gray releases whose every key the caller may read, newest first. */
  list(caller: Caller): GrayRecord[] {
    return this.d.view
      .list()
      .map((e) => e.record)
      .filter((r) => Object.keys(r.keys).every((p) => can(caller.principal, "read", p)))
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  async get(caller: Caller, id: string): Promise<GrayRecord> {
    const { record } = await this.read(id);
    for (const p of Object.keys(record.keys)) authorize(caller.principal, "read", p);
    return record;
  }

  async start(caller: Caller, input: GrayStartInput): Promise<GrayRecord> {
    if ((input.keys === undefined) === (input.changeId === undefined))
      throw new ConfigError("INVALID_INPUT", "A gray release starts from keys or from a change request, not both");
    const change = input.changeId === undefined ? null : await approvedChange(this.d.changes, caller, input.changeId);
    const wanted = change ? change.items : (input.keys ?? []);
    if (wanted.length === 0) throw new ConfigError("INVALID_INPUT", "A gray release needs at least one key");
    if (wanted.length > MAX_GRAY_KEYS)
      throw new ConfigError("TOO_LARGE", `A gray release holds at most ${MAX_GRAY_KEYS} keys`, {
        size: wanted.length,
        limit: MAX_GRAY_KEYS,
      });
    parseGrayTarget(input.target);
    const paths = wanted.map((k) => k.path);
    if (new Set(paths).size !== paths.length) throw new ConfigError("INVALID_INPUT", "A key is listed twice");
    for (const p of paths) {
      checkPath(p);
      if (isSystemPath(p)) throw new ConfigError("FORBIDDEN", `${p} is a system node`, { path: p, reason: "system" });
      authorize(caller.principal, "publish", p);
    }
    this.d.view.refuse(paths);
    const keys: GrayRecord["keys"] = {};
    const moved: string[] = [];
    for (const k of wanted) {
      const live = await readLive(this.d.link, k.path);
      if (!live) throw new ConfigError("NOT_FOUND", `No such node: ${k.path}: a gray release changes existing keys`);
      // a change request's content was approved against its base: a key moved since is a conflict
      const base = change ? (change.items.find((i) => i.path === k.path)?.baseVersion ?? -1) : live.version;
      if (base !== live.version) moved.push(k.path);
      keys[k.path] = { content: k.content, format: formatOfPath(k.path), baseVersion: base };
    }
    if (change && moved.length > 0)
      throw new ConfigError(
        "CONFLICT",
        `Change ${change.id} cannot go gray: ${moved.length} key(s) changed since the draft began: ${moved.join(", ")}`,
        { conflicts: moved, changeId: change.id },
      );
    validateItems(
      wanted.map((k) => ({ path: k.path, op: "update", content: k.content, baseVersion: 0 })),
      this.d.link.maxDataBytes,
    );
    const record: GrayRecord = {
      id: `g${Date.now().toString(36)}${randomBytes(4).toString("hex")}`,
      keys,
      target: input.target,
      author: caller.actor.author,
      createdAt: Date.now(),
      state: "active",
      title: input.title?.trim() || change?.title || `Gray release of ${paths.join(", ")}`,
      ...(change ? { changeId: change.id } : {}),
    };
    try {
      const path = grayPath(record.id);
      await this.d.link.session.create(path, encodeGray(record), { acl: this.d.link.acl });
      this.remember(record, (await this.d.link.session.exists(path))?.mzxid);
    } catch (err) {
      throw toConfigError(err, GRAY_ROOT);
    }
    await this.audit(caller, "gray.start", record, `target ${describe(record.target)}`);
    return record;
  }

  /** A new target (e.g. a larger percentage); instances it adds or drops are told to re-fetch. */
  async updateTarget(caller: Caller, id: string, target: GrayTargetInput): Promise<GrayRecord> {
    parseGrayTarget(target);
    const next = await this.rewrite(caller, id, (r) => ({ ...r, target }));
    await this.audit(caller, "gray.target", next, `target ${describe(target)}`);
    return next;
  }

  /** Ends the gray release without touching live content: its targets go back to the live content. */
  async abort(caller: Caller, id: string): Promise<GrayRecord> {
    const next = await this.rewrite(caller, id, (r) => ({ ...r, state: "aborted" }));
    await this.audit(caller, "gray.abort", next, "targets back on the live content");
    return next;
  }

  /**
   * The gray content becomes live for everybody: ONE multi sets every key (each conditional on
   * the version the gray started from) and removes the gray znode (conditional on its version),
   * recorded as a release with history rows like any publish. A key that moved since: CONFLICT
   * naming it, nothing written, the gray stays active.
   */
  async promote(caller: Caller, id: string, message?: string): Promise<ReleaseRecord> {
    const { record, version } = await this.read(id);
    const paths = Object.keys(record.keys);
    for (const p of paths) authorize(caller.principal, "publish", p);
    if (record.state !== "active") throw notActive(record);
    const items = Object.entries(record.keys).map(([path, k]) => ({
      path,
      op: "update" as const,
      content: k.content,
      baseVersion: k.baseVersion,
    }));
    const title = `Promote gray release ${id}${record.title ? ` (${record.title})` : ""}`;
    const fromContent = new Map<string, string>();
    for (const p of paths) fromContent.set(p, (await readLive(this.d.link, p))?.content ?? "");
    const release = await this.d.store.createRelease({
      changeId: record.changeId ?? null,
      title,
      message: message?.trim() || title,
      authors: [record.author],
      approvers: [],
      publishedBy: caller.actor.author,
      rollbackOf: null,
      items: items.map((i) => ({
        path: i.path,
        op: i.op,
        fromVersion: i.baseVersion,
        toVersion: null,
        fromContent: fromContent.get(i.path) ?? "",
        toContent: i.content,
      })),
    });
    const outcome = await this.d.publisher.execute(caller, release, items, message?.trim() || title, {
      author: record.author,
      grayId: id,
      extraOps: [{ type: "delete", path: grayPath(id), version }],
    });
    if (!outcome.ok) {
      const moved = outcome.conflicts;
      throw new ConfigError(
        "CONFLICT",
        moved.length > 0
          ? `Gray release ${id} was not promoted: ${moved.length} key(s) changed since it started: ${moved.join(", ")}`
          : `Gray release ${id} was not promoted: it changed meanwhile`,
        { conflicts: moved, grayId: id },
      );
    }
    this.d.note(id, null);
    if (record.changeId) await markPublished(this.d, record.changeId, outcome.release.id);
    await this.audit(caller, "gray.promote", record, `release ${outcome.release.id}`);
    return outcome.release;
  }

  /** Reads the gray znode (with its version), NOT_FOUND when there is none. */
  private async read(id: string): Promise<{ record: GrayRecord; version: number; mzxid: bigint }> {
    if (!GRAY_ID.test(id)) throw new ConfigError("NOT_FOUND", `No gray release ${id}`, { id });
    try {
      const { data, stat } = await this.d.link.session.getData(grayPath(id));
      const record = decodeGray(id, data);
      if (!record) throw new ConfigError("NOT_FOUND", `No gray release ${id}`, { id });
      return { record, version: stat.version, mzxid: stat.mzxid };
    } catch (err) {
      if (CoordinatorError.is(err, "NO_NODE")) throw new ConfigError("NOT_FOUND", `No gray release ${id}`, { id });
      throw toConfigError(err, grayPath(id));
    }
  }

  /** Rewrites an active gray conditionally on the version read; publish rights on every key. */
  private async rewrite(caller: Caller, id: string, edit: (r: GrayRecord) => GrayRecord): Promise<GrayRecord> {
    const { record, version } = await this.read(id);
    for (const p of Object.keys(record.keys)) authorize(caller.principal, "publish", p);
    if (record.state !== "active") throw notActive(record);
    const next = edit(record);
    try {
      const { stat } = await this.d.link.session.setData(grayPath(id), encodeGray(next), version);
      this.remember(next, stat.mzxid);
    } catch (err) {
      if (CoordinatorError.is(err, "BAD_VERSION") || CoordinatorError.is(err, "NO_NODE"))
        throw new ConfigError("CONFLICT", `Gray release ${id} changed meanwhile: read it again`, {
          conflicts: [],
          grayId: id,
        });
      throw toConfigError(err, grayPath(id));
    }
    return next;
  }

  /** This server knows at once (its watch confirms); other servers learn it from their watches. */
  private remember(record: GrayRecord, mzxid: bigint | undefined): void {
    if (mzxid !== undefined) this.d.note(record.id, { record, mzxid });
  }

  private audit(caller: Caller, action: string, r: GrayRecord, detail: string): Promise<void> {
    const paths = Object.keys(r.keys);
    return auditAction(this.d.history, caller, action, paths[0], `gray ${r.id} (${paths.join(", ")}): ${detail}`);
  }
}

function notActive(r: GrayRecord): ConfigError {
  return new ConfigError("CONFLICT", `Gray release ${r.id} is ${r.state}, not active`, {
    conflicts: [],
    grayId: r.id,
  });
}

function describe(t: GrayTargetInput): string {
  const parts: string[] = [];
  if (t.selector) parts.push(`selector ${t.selector}`);
  if (t.instances?.length) parts.push(`instances ${t.instances.join(",")}`);
  if (t.hosts?.length) parts.push(`hosts ${t.hosts.join(",")}`);
  if (t.percent !== undefined) parts.push(`${t.percent}%`);
  return parts.join(", ");
}
