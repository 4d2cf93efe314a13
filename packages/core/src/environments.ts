/**
 * Environment compare: two prefixes that hold the same keys (e.g. /payments/staging and
 * /payments/prod), matched by their path relative to the prefix. The answer says which keys
 * exist on one side only, which are byte-for-byte equal, and for those that differ how: by field
 * for JSON, YAML, TOML and .properties (so "db.pool.max 50 → 10" rather than a line diff), by
 * line for text and for content that does not parse. The two subtrees are read one after the
 * other, not at one zxid: each key reports the version it was compared at.
 */
import { CoordinatorError, isWithin, joinPath, type Stat } from "@conifer/coordinator";
import { diffDocuments, formatOf, type DocumentDiff, type Format } from "@conifer/formats";
import { authorize, type Principal } from "./auth/authz.ts";
import type { BackendLink } from "./backend-link.ts";
import { decodeData } from "./content.ts";
import { ConfigError, toConfigError } from "./errors.ts";
import { checkPath, isSystemPath } from "./paths.ts";

/** Nodes read per side at most: a compare is a console action, it must not pin the backend. */
export const COMPARE_NODE_BUDGET = 5_000;
/** reads issued together; the session pipelines them */
const BATCH = 200;

export interface EnvKeySide {
  /** the absolute path on this side */
  path: string;
  version: number;
  mzxid: string;
}

export interface EnvKey {
  /** the path relative to the prefix, without a leading slash: "db/pool.yaml" */
  key: string;
  format: Format;
}

export interface EnvDifference extends EnvKey {
  left: EnvKeySide;
  right: EnvKeySide;
  /** null when a side is binary (not UTF-8): only the bytes can be said to differ */
  diff: DocumentDiff | null;
}

export interface EnvironmentComparison {
  left: string;
  right: string;
  onlyLeft: (EnvKey & { side: EnvKeySide })[];
  onlyRight: (EnvKey & { side: EnvKeySide })[];
  /** the content differs; `diff.equal` is true when only comments or layout do */
  differing: EnvDifference[];
  equal: (EnvKey & { left: EnvKeySide; right: EnvKeySide })[];
}

interface ReadNode {
  side: EnvKeySide;
  data: Buffer;
}

/** Compares the subtrees under two prefixes; the caller needs read on both. */
export async function compareEnvironments(
  link: BackendLink,
  principal: Principal | null,
  leftPrefix: string,
  rightPrefix: string,
  nodeBudget = COMPARE_NODE_BUDGET,
): Promise<EnvironmentComparison> {
  checkPath(leftPrefix);
  checkPath(rightPrefix);
  authorize(principal, "read", leftPrefix);
  authorize(principal, "read", rightPrefix);
  if (isWithin(leftPrefix, rightPrefix) || isWithin(rightPrefix, leftPrefix)) {
    throw new ConfigError("INVALID_INPUT", `${leftPrefix} and ${rightPrefix} overlap; compare two separate prefixes`, {
      path: rightPrefix,
    });
  }
  const left = await readSubtree(link, leftPrefix, nodeBudget);
  const right = await readSubtree(link, rightPrefix, nodeBudget);
  const out: EnvironmentComparison = {
    left: leftPrefix,
    right: rightPrefix,
    onlyLeft: [],
    onlyRight: [],
    differing: [],
    equal: [],
  };
  for (const key of [...new Set([...left.keys(), ...right.keys()])].sort()) {
    const l = left.get(key);
    const r = right.get(key);
    const format = formatOf(key);
    if (!r && l) out.onlyLeft.push({ key, format, side: l.side });
    else if (!l && r) out.onlyRight.push({ key, format, side: r.side });
    else if (l && r) {
      if (l.data.equals(r.data)) out.equal.push({ key, format, left: l.side, right: r.side });
      else out.differing.push({ key, format, left: l.side, right: r.side, diff: diffContent(format, l.data, r.data) });
    }
  }
  return out;
}

function diffContent(format: Format, left: Buffer, right: Buffer): DocumentDiff | null {
  const l = decodeData(left);
  const r = decodeData(right);
  if (l.encoding !== "utf8" || r.encoding !== "utf8") return null;
  return diffDocuments(format, l.text, r.text);
}

/**
 * Every key under `prefix` by relative path, breadth-first. A node counts as a key when it holds
 * data or has no children: the empty parents a create makes are folders, not keys. System
 * subtrees are left out unless the prefix is inside one.
 */
async function readSubtree(link: BackendLink, prefix: string, budget: number): Promise<Map<string, ReadNode>> {
  const keys = new Map<string, ReadNode>();
  const includeSystem = isSystemPath(prefix);
  let visited = 0;
  let queue = [prefix];
  try {
    const root = await link.session.exists(prefix);
    if (!root) throw new CoordinatorError("NO_NODE", undefined, prefix);
    while (queue.length > 0) {
      const level = queue.slice(0, BATCH);
      queue = queue.slice(BATCH);
      const session = link.session;
      const reads = await Promise.all(level.map((p) => session.getData(p).catch(noNode)));
      const withChildren = level.filter((_, i) => (reads[i]?.stat.numChildren ?? 0) > 0);
      const lists = await Promise.all(withChildren.map((p) => session.getChildren(p).catch(noNode)));
      const children = new Map(withChildren.map((p, i) => [p, lists[i]?.children ?? []]));
      for (const [i, path] of level.entries()) {
        const read = reads[i];
        if (!read) continue; // deleted while we walked
        if (++visited > budget) {
          throw new ConfigError("TOO_LARGE", `${prefix} has more than ${budget} nodes; compare smaller prefixes`, {
            size: visited,
            limit: budget,
          });
        }
        if (path !== prefix && (read.data.length > 0 || read.stat.numChildren === 0)) {
          keys.set(path.slice(prefix === "/" ? 1 : prefix.length + 1), {
            side: sideOf(path, read.stat),
            data: read.data,
          });
        }
        for (const c of (children.get(path) ?? []).sort()) {
          const cp = joinPath(path, c);
          if (includeSystem || !isSystemPath(cp)) queue.push(cp);
        }
      }
    }
  } catch (err) {
    throw toConfigError(err, prefix);
  }
  return keys;
}

function sideOf(path: string, stat: Stat): EnvKeySide {
  return { path, version: stat.version, mzxid: stat.mzxid.toString() };
}

function noNode(err: unknown): null {
  if (CoordinatorError.is(err, "NO_NODE")) return null;
  throw err;
}
