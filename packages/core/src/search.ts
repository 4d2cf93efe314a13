/**
 * Tree search by path or by content. There is no index: it walks the tree breadth-first from
 * `under`, in batches whose reads are issued together, and stops at a node budget so
 * one query can never pin the backend. System subtrees are skipped unless searched explicitly.
 */
import { CoordinatorError, isWithin, joinPath } from "@conifer/coordinator";
import type { BackendLink } from "./backend-link.ts";
import { decodeData } from "./content.ts";
import { toConfigError } from "./errors.ts";
import { checkPath, isSystemPath } from "./paths.ts";

export interface SearchMatch {
  path: string;
  snippet?: string;
  line?: number;
}

export interface SearchResult {
  matches: SearchMatch[];
  truncated: boolean;
}

export interface SearchInput {
  query: string;
  mode: "path" | "content";
  under?: string;
  limit?: number;
  /** walk /conifer and /zookeeper too (they are skipped unless searched explicitly) */
  includeSystem?: boolean;
}

export const SEARCH_NODE_BUDGET = 20_000;
const SNIPPET_MAX = 200;
/** reads issued together; the session pipelines them */
const BATCH = 200;

export async function searchTree(
  link: BackendLink,
  input: SearchInput,
  nodeBudget = SEARCH_NODE_BUDGET,
): Promise<SearchResult> {
  const under = input.under ?? "/";
  checkPath(under);
  const limit = Math.max(1, Math.min(input.limit ?? 50, 500));
  const needle = input.query.toLowerCase();
  const matches: SearchMatch[] = [];
  const includeSystem = input.includeSystem === true || isSystemPath(under);
  let visited = 0;
  const queue = [under];
  try {
    while (queue.length > 0) {
      const level = queue.splice(0, BATCH);
      const session = link.session;
      const childLists = await Promise.all(level.map((p) => session.getChildren(p).catch(noNode)));
      const datas =
        input.mode === "content" ? await Promise.all(level.map((p) => session.getData(p).catch(noNode))) : [];
      for (const [i, path] of level.entries()) {
        if (++visited > nodeBudget) return { matches, truncated: true };
        // gone, or never there (a readable prefix with no node yet): nothing to match
        const listing = childLists[i];
        if (!listing) continue;
        if (input.mode === "path") {
          if (needle && path.toLowerCase().includes(needle)) matches.push({ path });
        } else {
          const hit = findInContent(datas[i]?.data, needle);
          if (hit) matches.push({ path, ...hit });
        }
        if (matches.length >= limit) return { matches, truncated: true };
        for (const c of [...listing.children].sort()) {
          const cp = joinPath(path, c);
          if (!includeSystem && isSystemPath(cp)) continue;
          if (isWithin(cp, under)) queue.push(cp);
        }
      }
    }
  } catch (err) {
    throw toConfigError(err, under);
  }
  return { matches, truncated: false };
}

function noNode(err: unknown): null {
  if (CoordinatorError.is(err, "NO_NODE")) return null;
  throw err;
}

function findInContent(data: Buffer | undefined, needle: string): { snippet: string; line: number } | null {
  if (!data || !needle) return null;
  const { text, encoding } = decodeData(data);
  if (encoding !== "utf8") return null;
  const lines = text.split("\n");
  for (const [i, l] of lines.entries()) {
    if (l.toLowerCase().includes(needle)) {
      const t = l.trim();
      return { snippet: t.length > SNIPPET_MAX ? `${t.slice(0, SNIPPET_MAX)}…` : t, line: i + 1 };
    }
  }
  return null;
}
