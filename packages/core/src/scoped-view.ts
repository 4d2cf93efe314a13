/**
 * What one caller may see of the tree, of search results and of the connected SDK instances.
 * The transports hand the caller's principal here rather than filtering answers themselves, so
 * every door shows the same slice, and counts are computed from that slice: a child count never
 * reveals children the caller cannot see. System subtrees (/conifer, /zookeeper) are left out of
 * listings and searches unless an admin asks for them.
 */
import { isWithin } from "@conifer/coordinator";
import { authorize, can, canBrowse, prefixesFor, type Principal } from "./auth/authz.ts";
import type { ChildEntry, ConfigNode, ConfigService } from "./config-service.ts";
import type { StatDTO } from "./dto.ts";
import type { InstanceView } from "./instance-registry.ts";
import { isSystemPath } from "./paths.ts";
import type { SearchInput, SearchResult } from "./search.ts";

export interface ViewOptions {
  /** list /conifer and /zookeeper too; honoured for admins only */
  includeSystem?: boolean;
}

export interface Listing {
  path: string;
  stat: StatDTO;
  children: ChildEntry[];
}

function showsSystem(p: Principal, opts: ViewOptions): boolean {
  return opts.includeSystem === true && can(p, "admin");
}

/** Is `child` (of `parent`) shown to `p`? Inside a system subtree its own children are not hidden again. */
function listed(p: Principal, parent: string, child: string, system: boolean): boolean {
  if (!canBrowse(p, child)) return false;
  return system || isSystemPath(parent) || !isSystemPath(child);
}

/** The children of `path` that `p` may see, each with the number of its own children `p` may see. */
export async function visibleChildren(
  config: ConfigService,
  p: Principal,
  path: string,
  opts: ViewOptions = {},
): Promise<Listing> {
  if (!canBrowse(p, path)) authorize(p, "read", path);
  const system = showsSystem(p, opts);
  const listing = await config.children(path);
  const children = listing.children.filter((c) => listed(p, path, c.path, system));
  const counted = await Promise.all(
    children.map(async (c) => {
      // a readable child's children are all readable; a branch only passed through is counted again
      if (c.stat.numChildren === 0 || can(p, "read", c.path)) return c;
      const names = await config.childNames(c.path);
      const numChildren = names.filter((n) => listed(p, c.path, `${c.path}/${n}`, system)).length;
      return { ...c, stat: { ...c.stat, numChildren } };
    }),
  );
  return { path, stat: { ...listing.stat, numChildren: counted.length }, children: counted };
}

/**
 * One node as `p` may read it. Its stat's child count is what `p` is shown: a readable node's
 * children are all readable, except the system subtrees, which hang off "/" only and are counted
 * only when an admin asks for them (the console's header pill on "/" said 4 beside 2 cards).
 */
export async function visibleNode(
  config: ConfigService,
  p: Principal,
  path: string,
  opts: ViewOptions = {},
): Promise<ConfigNode> {
  authorize(p, "read", path);
  const node = await config.get(path);
  if (path !== "/" || node.stat.numChildren === 0 || showsSystem(p, opts)) return node;
  const names = await config.childNames(path);
  const numChildren = names.filter((n) => !isSystemPath(`/${n}`)).length;
  return { ...node, stat: { ...node.stat, numChildren } };
}

/** The outermost of these prefixes (a prefix inside another adds nothing to a walk). */
function outermost(prefixes: string[]): string[] {
  return [...new Set(prefixes)].sort().filter((x, _, all) => !all.some((y) => y !== x && isWithin(x, y)));
}

/**
 * Search only what `p` may read: from `under` when it is readable, else from each readable prefix
 * below it, so a scoped user's search neither lists nor spends its node budget on the rest.
 */
export async function visibleSearch(
  search: (input: SearchInput) => Promise<SearchResult>,
  p: Principal,
  input: SearchInput & ViewOptions,
): Promise<SearchResult> {
  const under = input.under ?? "/";
  if (!canBrowse(p, under)) authorize(p, "read", under);
  const roots = can(p, "read", under)
    ? [under]
    : outermost(prefixesFor(p, "read").filter((prefix) => isWithin(prefix, under)));
  const limit = input.limit ?? 50;
  const result: SearchResult = { matches: [], truncated: false };
  for (const root of roots) {
    const r = await search({
      query: input.query,
      mode: input.mode,
      under: root,
      limit: limit - result.matches.length,
      includeSystem: showsSystem(p, input),
    });
    result.matches.push(...r.matches);
    if (r.truncated || result.matches.length >= limit) return { ...result, truncated: true };
  }
  return result;
}

/**
 * The instances `p` may see: each with only the configs `p` may read, and only when it applied
 * at least one of them (a reader of "/" sees every instance, also those that applied nothing yet).
 */
export function visibleInstances(all: InstanceView[], p: Principal): InstanceView[] {
  if (can(p, "read", "/")) return all;
  return all.flatMap((i) => {
    const applied = i.applied.filter((a) => can(p, "read", a.path));
    return applied.length > 0 ? [{ ...i, applied }] : [];
  });
}
