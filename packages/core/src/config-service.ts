/**
 * ConfigService: what the console, the API and scripts do with config nodes — read a node,
 * browse children, validate, create, update with an expected version, delete — each write
 * validated before it reaches the backend and audited once it succeeded.
 */
import { CoordinatorError, joinPath, type Stat } from "@conifer/coordinator";
import type { BackendLink } from "./backend-link.ts";
import type { ConfigWriter, WriteMeta } from "./config-writer.ts";
import { decodeData, type Encoding } from "./content.ts";
import { stripControlChars } from "./control-chars.ts";
import {
  formatOfPath,
  isSequentialName,
  kindOf,
  toStatDTO,
  type Actor,
  type Format,
  type NodeKind,
  type StatDTO,
} from "./dto.ts";
import { ConfigError, toConfigError } from "./errors.ts";
import type { HistoryPort } from "./history-port.ts";
import type { Logger } from "./logger.ts";
import { checkPath, isSystemPath } from "./paths.ts";
import type { DirectReleases } from "./releases/direct.ts";
import { checkContent, validateContent, type ValidationResult } from "./validation.ts";

export interface ConfigNode {
  path: string;
  data: string;
  encoding: "utf8" | "base64";
  stat: StatDTO;
  format: Format;
  kind: NodeKind;
}

export interface ChildEntry {
  name: string;
  path: string;
  stat: StatDTO;
  kind: NodeKind;
  sequential: boolean;
  format: Format;
}

export type CreateMode = "persistent" | "persistent_sequential" | "container";

const MODE: Record<CreateMode, "PERSISTENT" | "PERSISTENT_SEQUENTIAL" | "CONTAINER"> = {
  persistent: "PERSISTENT",
  persistent_sequential: "PERSISTENT_SEQUENTIAL",
  container: "CONTAINER",
};

interface SubtreeNode {
  path: string;
  version: number;
  content: string;
  encoding: Encoding;
  ephemeral: boolean;
}

/** Upper bound on nodes a recursive delete takes in one all-or-nothing multi. */
export const MAX_RECURSIVE_DELETE = 1000;

export class ConfigService {
  constructor(
    private readonly link: BackendLink,
    private readonly writer: ConfigWriter,
    private readonly history: HistoryPort,
    private readonly log: Logger,
    private readonly direct: DirectReleases,
  ) {}

  async get(path: string): Promise<ConfigNode> {
    checkPath(path);
    try {
      const { data, stat } = await this.link.session.getData(path);
      const { text, encoding } = decodeData(data);
      return { path, data: text, encoding, stat: toStatDTO(stat), format: formatOfPath(path), kind: kindOf(stat) };
    } catch (err) {
      throw toConfigError(err, path);
    }
  }

  async children(path: string): Promise<{ path: string; stat: StatDTO; children: ChildEntry[] }> {
    checkPath(path);
    try {
      const { children, stat } = await this.link.session.getChildren(path);
      const names = [...children].sort();
      // Issued together: the session pipelines them (FIFO), one round of latency in total.
      const stats = await Promise.all(names.map((n) => this.link.session.exists(joinPath(path, n)).catch(() => null)));
      const entries: ChildEntry[] = [];
      names.forEach((name, i) => {
        const s = stats[i];
        if (!s) return; // deleted between the two reads
        const childPath = joinPath(path, name);
        entries.push({
          name,
          path: childPath,
          stat: toStatDTO(s),
          kind: kindOf(s),
          sequential: isSequentialName(name),
          format: formatOfPath(childPath),
        });
      });
      return { path, stat: toStatDTO(stat), children: entries };
    } catch (err) {
      throw toConfigError(err, path);
    }
  }

  /** The names of a node's children (none when it does not exist), without their stats. */
  async childNames(path: string): Promise<string[]> {
    checkPath(path);
    try {
      return [...(await this.link.session.getChildren(path)).children];
    } catch (err) {
      if (CoordinatorError.is(err, "NO_NODE")) return [];
      throw toConfigError(err, path);
    }
  }

  validate(path: string, content: string): ValidationResult {
    checkPath(path);
    return validateContent(path, content);
  }

  private refuseSystem(path: string): void {
    if (isSystemPath(path)) {
      throw new ConfigError(
        "FORBIDDEN",
        `${path} is reserved for ${path.startsWith("/zookeeper") ? "ZooKeeper" : "the Conifer server"}; it cannot be changed here`,
        { path },
      );
    }
  }

  private meta(actor: Actor, message: string | undefined, fallback: string): WriteMeta {
    const clean = message === undefined ? undefined : stripControlChars(message).trim();
    return { actor, message: clean || fallback, source: actor.source };
  }

  async create(
    actor: Actor,
    input: { path: string; content: string; mode?: CreateMode; message?: string },
  ): Promise<{ path: string; stat: StatDTO }> {
    const { path, content } = input;
    checkPath(path);
    this.refuseSystem(path);
    const bytes = checkContent(path, content, this.link.maxDataBytes);
    const meta = this.meta(actor, input.message, `Create ${path}`);
    const item = { path, op: "create" as const, fromVersion: -1, toContent: content };
    const created = await this.direct.publish(actor, meta.message, item, async (releaseId) => {
      const parents = await this.ensureParents(path, { ...meta, releaseId });
      const c = await this.writer.create(path, bytes, content, MODE[input.mode ?? "persistent"], {
        ...meta,
        releaseId,
      });
      return { value: c, toVersion: c.stat.version, zxid: c.stat.mzxid, path: c.path, parents };
    });
    await this.audit(actor, "config.create", created.path, `version ${created.stat.version}`);
    return { path: created.path, stat: toStatDTO(created.stat) };
  }

  /**
   * Missing parents are created empty (like mkdir -p), each recorded in history as ours and part
   * of the save's release, so rolling it back removes them while still empty. Answers those created.
   */
  private async ensureParents(path: string, meta: WriteMeta): Promise<string[]> {
    const created: string[] = [];
    const segs = path.split("/").slice(1, -1);
    let cur = "";
    for (const seg of segs) {
      cur = `${cur}/${seg}`;
      const st = await this.link.session.exists(cur).catch((err: unknown) => {
        throw toConfigError(err, cur);
      });
      if (st) continue;
      try {
        await this.writer.create(cur, Buffer.alloc(0), "", "PERSISTENT", {
          ...meta,
          message: `Create parent of ${path}`,
        });
        created.push(cur);
      } catch (err) {
        if (!ConfigError.is(err, "ALREADY_EXISTS")) throw err;
      }
    }
    return created;
  }

  async update(
    actor: Actor,
    input: { path: string; content: string; expectedVersion: number; message?: string },
  ): Promise<{ stat: StatDTO }> {
    const { path, content, expectedVersion } = input;
    checkPath(path);
    this.refuseSystem(path);
    const bytes = checkContent(path, content, this.link.maxDataBytes);
    const meta = this.meta(actor, input.message, `Update ${path}`);
    const item = { path, op: "update" as const, fromVersion: expectedVersion, toContent: content };
    const stat = await this.direct.publish(actor, meta.message, item, async (releaseId) => {
      const st = await this.writer.setData(path, bytes, content, expectedVersion, { ...meta, releaseId });
      return { value: st, toVersion: st.version, zxid: st.mzxid };
    });
    await this.audit(actor, "config.update", path, `version ${stat.version}`);
    return { stat: toStatDTO(stat) };
  }

  async delete(
    actor: Actor,
    input: { path: string; expectedVersion: number; recursive?: boolean; message?: string },
  ): Promise<{ deleted: string[] }> {
    const { path, expectedVersion } = input;
    checkPath(path);
    if (path === "/") throw new ConfigError("FORBIDDEN", "The root node cannot be deleted", { path });
    this.refuseSystem(path);
    await this.direct.checkDirect(path);
    const nodes = await this.collect(path, input.recursive === true);
    const meta = this.meta(actor, input.message, `Delete ${path}`);
    // every node deleted is an item of the release, with the content it had, so rolling the
    // release back re-creates the whole subtree; ephemerals are session state, not config, and
    // go with their sessions
    const items = nodes
      .filter((n) => !n.ephemeral)
      .map((n) => ({
        path: n.path,
        op: "delete" as const,
        fromVersion: n.version,
        toVersion: n.version,
        fromContent: n.content,
        fromEncoding: n.encoding,
        toContent: "",
      }));
    const item = { path, op: "delete" as const, fromVersion: expectedVersion, toContent: "" };
    const more = items.filter((i) => i.path !== path);
    const deleted = await this.direct.publish(
      actor,
      meta.message,
      { ...item, ...items.find((i) => i.path === path), fromVersion: expectedVersion },
      async (releaseId) => {
        const done = await this.writer.deleteTree(path, nodes, expectedVersion, { ...meta, releaseId });
        return { value: done.deleted, toVersion: expectedVersion, zxid: done.zxid };
      },
      { more },
    );
    await this.audit(
      actor,
      "config.delete",
      path,
      input.recursive ? `recursive, ${deleted.length} node(s)` : undefined,
    );
    return { deleted };
  }

  /**
   * The subtree in post-order (children first), each node with its version and content at read
   * time: the delete is conditional on those versions, so the release records what it deleted.
   */
  private async collect(path: string, recursive: boolean): Promise<SubtreeNode[]> {
    const out: SubtreeNode[] = [];
    const visit = async (p: string, st: Stat): Promise<void> => {
      if (st.numChildren > 0) {
        if (!recursive)
          throw new ConfigError(
            "NOT_EMPTY",
            `${p} has ${st.numChildren} child node(s); delete recursively or remove them first`,
            { path: p, numChildren: st.numChildren },
          );
        const { children } = await this.link.session.getChildren(p);
        for (const c of children.sort()) {
          const cp = joinPath(p, c);
          const cs = await this.link.session.exists(cp);
          if (cs) await visit(cp, cs);
        }
      }
      if (out.length >= MAX_RECURSIVE_DELETE) {
        throw new ConfigError("TOO_LARGE", `${path} has more than ${MAX_RECURSIVE_DELETE} nodes; delete it in parts`, {
          size: out.length,
          limit: MAX_RECURSIVE_DELETE,
        });
      }
      const read = await this.link.session.getData(p);
      const { text, encoding } = decodeData(read.data);
      out.push({
        path: p,
        version: read.stat.version,
        content: text,
        encoding,
        ephemeral: read.stat.ephemeralOwner !== 0n,
      });
    };
    try {
      const st = await this.link.session.exists(path);
      if (!st) throw new CoordinatorError("NO_NODE", undefined, path);
      await visit(path, st);
    } catch (err) {
      throw toConfigError(err, path);
    }
    return out;
  }

  /** Best effort once the change is live: failing the request now would invite a blind retry. */
  async audit(actor: Actor, action: string, path?: string, detail?: string): Promise<void> {
    try {
      await this.history.audit({ actor: actor.author, action, path, detail, source: actor.source, ip: actor.ip });
    } catch (err) {
      this.log.error(`audit row for ${action} ${path ?? ""} not written`, err);
    }
  }
}
