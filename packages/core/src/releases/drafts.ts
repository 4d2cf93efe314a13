/**
 * Turning what a user proposes into change items: each item keeps the live version, content and
 * hash it started from, read from the backend now (or kept from the draft's earlier revision),
 * so publish can be conditional on it and review can show base → proposed and live → proposed.
 */
import { CoordinatorError } from "@conifer/coordinator";
import type { ChangeItemInput, ChangeOp } from "@conifer/history";
import type { BackendLink } from "../backend-link.ts";
import { decodeData, hashText, type Encoding } from "../content.ts";
import { formatOfPath } from "../dto.ts";
import { ConfigError, toConfigError } from "../errors.ts";
import { checkPath, isSystemPath } from "../paths.ts";

export const MAX_CHANGE_ITEMS = 500;

export interface ProposedItem {
  path: string;
  /** default: update when the key exists, create when not; delete needs saying */
  op?: ChangeOp;
  content?: string;
  /** the version the proposer saw; refused with CONFLICT when it is neither live nor the draft's base */
  baseVersion?: number;
}

export interface LiveState {
  version: number;
  content: string;
  /** "base64" when the bytes are not UTF-8 (written by another client) */
  encoding: Encoding;
  /** decimal string: the console matches it to the history row of whoever published it */
  mzxid: string;
}

export async function readLive(link: BackendLink, path: string): Promise<LiveState | null> {
  try {
    const { data, stat } = await link.session.getData(path);
    const { text, encoding } = decodeData(data);
    return { version: stat.version, content: text, encoding, mzxid: stat.mzxid.toString() };
  } catch (err) {
    if (CoordinatorError.is(err, "NO_NODE")) return null;
    throw toConfigError(err, path);
  }
}

function checkItems(items: readonly ProposedItem[]): void {
  if (items.length === 0) throw new ConfigError("INVALID_INPUT", "A change needs at least one key");
  if (items.length > MAX_CHANGE_ITEMS)
    throw new ConfigError("TOO_LARGE", `A change holds at most ${MAX_CHANGE_ITEMS} keys`, {
      size: items.length,
      limit: MAX_CHANGE_ITEMS,
    });
  const seen = new Set<string>();
  for (const i of items) {
    checkPath(i.path);
    if (i.path === "/" || isSystemPath(i.path))
      throw new ConfigError("FORBIDDEN", `${i.path} cannot be changed by a change request`, { path: i.path });
    if (seen.has(i.path)) throw new ConfigError("INVALID_INPUT", `${i.path} is listed twice`, { path: i.path });
    seen.add(i.path);
  }
}

/**
 * The items of a draft. `previous` are the items of the draft's last revision: a key the
 * proposer still edits from that base keeps it (publishing then detects a move); a key rebased
 * onto the live version takes the live base.
 */
export async function buildItems(
  link: BackendLink,
  proposed: readonly ProposedItem[],
  previous: readonly ChangeItemInput[] = [],
): Promise<ChangeItemInput[]> {
  checkItems(proposed);
  const before = new Map(previous.map((i) => [i.path, i]));
  return Promise.all(
    proposed.map(async (p) => {
      const old = before.get(p.path);
      if (old && (p.baseVersion === undefined || p.baseVersion === old.baseVersion))
        return { ...old, op: p.op ?? old.op, content: p.op === "delete" ? "" : (p.content ?? old.content) };
      const live = await readLive(link, p.path);
      const version = live?.version ?? -1;
      if (p.baseVersion !== undefined && p.baseVersion !== version)
        throw new ConfigError("CONFLICT", `${p.path} is at version ${version} now, not ${p.baseVersion}`, {
          currentVersion: version,
          currentContent: live?.content ?? null,
          currentStat: null,
          expectedVersion: p.baseVersion,
        });
      const op: ChangeOp = p.op ?? (live ? "update" : "create");
      if (op === "create" && live) throw new ConfigError("ALREADY_EXISTS", `${p.path} exists`, { path: p.path });
      if (op !== "create" && !live) throw new ConfigError("NOT_FOUND", `No such node: ${p.path}`, { path: p.path });
      if (op !== "delete" && p.content === undefined)
        throw new ConfigError("INVALID_INPUT", `${p.path}: content is required for ${op}`, { path: p.path });
      const baseContent = live?.content ?? "";
      return {
        path: p.path,
        op,
        content: op === "delete" ? "" : (p.content ?? ""),
        format: formatOfPath(p.path),
        baseVersion: version,
        baseHash: live ? hashText(baseContent) : "",
        baseContent,
        baseEncoding: live?.encoding ?? "utf8",
      };
    }),
  );
}

/** True when what would be published differs (keys, ops or content): approvals start over. */
export function contentChanged(a: readonly ChangeItemInput[], b: readonly ChangeItemInput[]): boolean {
  if (a.length !== b.length) return true;
  const byPath = new Map(a.map((i) => [i.path, i]));
  return b.some((i) => {
    const o = byPath.get(i.path);
    return !o || o.op !== i.op || o.content !== i.content;
  });
}
