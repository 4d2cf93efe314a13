/**
 * The read requests as plain synchronous steps on the tree: checks, the ACL, the watch
 * registration and the answer. EngineSession runs them through the request processor (answered
 * in issue order, behind every pending outcome); a network door may run one at once through
 * Engine.readNow when nothing is pending, so its reply needs no promise (wire-reads.ts).
 */
import { CoordinatorError, Perms } from "@conifer/coordinator";
import type { ACL, Stat, Watcher } from "@conifer/coordinator";
import { allowed, checkAcl, maskAcl } from "./acl.ts";
import type { Identity } from "./acl.ts";
import type { DataTree } from "./data-tree.ts";
import { checkPath, javaTrim } from "./request-checks.ts";
import type { SessionWatches, WatchRegistry } from "./watches.ts";
import { statOf } from "./znode.ts";
import type { ZNode } from "./znode.ts";

/** what a read step needs: the tree, who asks, and where its watches go */
export interface ReadContext {
  tree: DataTree;
  identity: Identity;
  sessionId: bigint;
  registry: WatchRegistry;
  watches: SessionWatches;
}

export function nodeAt(tree: DataTree, path: string): ZNode {
  const n = tree.get(path);
  if (!n) throw new CoordinatorError("NO_NODE", `no node ${path}`, path);
  return n;
}

function readable(c: ReadContext, path: string): ZNode {
  const n = nodeAt(c.tree, path);
  checkAcl(n.acl, Perms.READ, c.identity, path);
  return n;
}

export function existsStep(c: ReadContext, path: string, watch?: Watcher): Stat | null {
  checkPath(path);
  const n = c.tree.get(path);
  if (watch) c.registry.add(c.watches, n ? "data" : "exist", path, watch);
  return n ? statOf(n) : null;
}

/**
 * The node's own data buffer, not a copy: the session copies it for its caller, a network
 * door encodes it into the reply at once. Nobody may write into it.
 */
export function getDataStep(c: ReadContext, path: string, watch?: Watcher): { data: Buffer | null; stat: Stat } {
  checkPath(path);
  const n = readable(c, path);
  if (watch) c.registry.add(c.watches, "data", path, watch);
  return { data: n.data, stat: statOf(n) };
}

export function getChildrenStep(c: ReadContext, path: string, watch?: Watcher): { children: string[]; stat: Stat } {
  checkPath(path);
  const n = readable(c, path);
  if (watch) c.registry.add(c.watches, "child", path, watch);
  return { children: [...n.children], stat: statOf(n) };
}

export function getAclStep(c: ReadContext, path: string): { acl: ACL[]; stat: Stat } {
  checkPath(path);
  const n = nodeAt(c.tree, path);
  if (allowed(n.acl, Perms.ADMIN, c.identity))
    return { acl: n.acl.map((a) => ({ perms: a.perms, id: { ...a.id } })), stat: statOf(n) };
  checkAcl(n.acl, Perms.READ, c.identity, path);
  return { acl: maskAcl(n.acl), stat: statOf(n) };
}

export function getEphemeralsStep(c: ReadContext, prefix: string): string[] {
  const all = [...(c.tree.ephemerals.get(c.sessionId) ?? [])];
  const trimmed = javaTrim(prefix);
  return trimmed === "" || trimmed === "/" ? all : all.filter((p) => p.startsWith(prefix));
}

export function getAllChildrenNumberStep(c: ReadContext, path: string): number {
  checkPath(path);
  readable(c, path);
  if (path === "/" || path === "") return c.tree.size - 1;
  let count = 0;
  const prefix = `${path}/`;
  for (const p of c.tree.nodes.keys()) if (p.startsWith(prefix)) count++;
  return count;
}

/** what Engine.readNow answers, per kind of read */
export interface ReadNowResults {
  getData: { data: Buffer | null; stat: Stat };
  exists: Stat | null;
  getChildren: { children: string[]; stat: Stat };
}

/** the steps Engine.readNow may run at once */
export const READ_NOW = { getData: getDataStep, exists: existsStep, getChildren: getChildrenStep };
