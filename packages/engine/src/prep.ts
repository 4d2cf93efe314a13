/**
 * Request validation, in the exact order ZooKeeper's PrepRequestProcessor checks (§2.2), turning
 * a write request into the transaction that apply will execute. Throws CoordinatorError with
 * the first failing check's code. Reads the tree only; never mutates it.
 */
import { CoordinatorError, CreateMode, OPEN_ACL_UNSAFE, Perms, pathProblem } from "@conifer/coordinator";
import type { ACL, CreateOptions } from "@conifer/coordinator";
import { checkAcl, fixupAcl } from "./acl.ts";
import type { Identity } from "./acl.ts";
import type { DataTree } from "./data-tree.ts";
import type { SubTxn } from "./txn.ts";
import { CONTAINER_OWNER, MAX_TTL_MS, int32, isEphemeralOwner, sequenceSuffix, ttlOwner } from "./znode.ts";
import type { ZNode } from "./znode.ts";

export interface PrepContext {
  tree: DataTree;
  identity: Identity;
  sessionId: bigint;
  extendedTypesEnabled: boolean;
}

const SPECIAL = new Set(["/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"]);

const bad = (path: string, why: string) =>
  new CoordinatorError("BAD_ARGUMENTS", `${why}: ${JSON.stringify(path)}`, path);
const noNode = (path: string) => new CoordinatorError("NO_NODE", `no node ${path}`, path);

function validatePath(path: string): void {
  const problem = typeof path === "string" ? pathProblem(path) : "path must be a string";
  if (problem) throw bad(path, `invalid path (${problem})`);
}

function lookup(ctx: PrepContext, path: string): ZNode {
  const n = ctx.tree.get(path);
  if (!n) throw noNode(path);
  return n;
}

/** the text before the last "/", after rejecting paths without one or with a NUL */
function parentText(path: string): string {
  const slash = typeof path === "string" ? path.lastIndexOf("/") : -1;
  if (slash < 0 || path.includes("\0")) throw bad(path, "invalid path");
  return path.slice(0, slash);
}

function checkVersion(current: number, expected: number | undefined, path: string): number {
  const v = expected ?? -1;
  if (v !== -1 && v !== current) {
    throw new CoordinatorError("BAD_VERSION", `version mismatch on ${path}: expected ${v}, current ${current}`, path);
  }
  return int32(current + 1);
}

export function prepCreate(
  ctx: PrepContext,
  path: string,
  data: Buffer | null,
  options: CreateOptions | undefined,
): SubTxn {
  const mode = options?.mode ?? "PERSISTENT";
  const flag: number | undefined = Object.hasOwn(CreateMode, mode) ? CreateMode[mode] : undefined;
  if (flag === undefined) throw bad(path, `unknown create mode ${mode}`);
  const isTtl = flag === CreateMode.PERSISTENT_WITH_TTL || flag === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
  if (isTtl) {
    if (!ctx.extendedTypesEnabled)
      throw new CoordinatorError("UNIMPLEMENTED", "TTL nodes are disabled (extendedTypesEnabled=false)", path);
    const ttl = options?.ttl;
    if (typeof ttl !== "number" || !Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_TTL_MS) {
      throw bad(path, `ttl must be an integer in 1..${MAX_TTL_MS}, got ${String(ttl)}`);
    }
  }
  const parentPath = parentText(path);
  const acl = fixupAcl(options?.acl === undefined ? OPEN_ACL_UNSAFE : options.acl, ctx.identity, path);
  const parent = lookup(ctx, parentPath);
  checkAcl(parent.acl, Perms.CREATE, ctx.identity, parentPath === "" ? "/" : parentPath);
  const sequential =
    flag === CreateMode.PERSISTENT_SEQUENTIAL ||
    flag === CreateMode.EPHEMERAL_SEQUENTIAL ||
    flag === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
  const finalPath = sequential ? path + sequenceSuffix(parent.cversion) : path;
  validatePath(finalPath);
  if (ctx.tree.get(finalPath)) throw new CoordinatorError("NODE_EXISTS", `node ${finalPath} already exists`, finalPath);
  if (isEphemeralOwner(parent.owner)) {
    throw new CoordinatorError(
      "NO_CHILDREN_FOR_EPHEMERALS",
      `${parentPath} is ephemeral and cannot have children`,
      finalPath,
    );
  }
  let owner = 0n;
  if (flag === CreateMode.EPHEMERAL || flag === CreateMode.EPHEMERAL_SEQUENTIAL) owner = ctx.sessionId;
  else if (flag === CreateMode.CONTAINER) owner = CONTAINER_OWNER;
  else if (isTtl) owner = ttlOwner(options?.ttl as number);
  return { t: "create", path: finalPath, data, acl, owner };
}

export function prepDelete(ctx: PrepContext, path: string, version: number | undefined): SubTxn {
  const parentPath = parentText(path);
  if (SPECIAL.has(path)) throw bad(path, "cannot delete a built-in node");
  const parent = lookup(ctx, parentPath);
  checkAcl(parent.acl, Perms.DELETE, ctx.identity, parentPath === "" ? "/" : parentPath);
  const node = lookup(ctx, path);
  checkVersion(node.version, version, path);
  if (node.children.size > 0) throw new CoordinatorError("NOT_EMPTY", `node ${path} has children`, path);
  return { t: "delete", path };
}

export function prepSetData(ctx: PrepContext, path: string, data: Buffer | null, version: number | undefined): SubTxn {
  validatePath(path);
  const node = lookup(ctx, path);
  checkAcl(node.acl, Perms.WRITE, ctx.identity, path);
  return { t: "setData", path, data, version: checkVersion(node.version, version, path) };
}

export function prepSetAcl(ctx: PrepContext, path: string, acl: readonly ACL[], aversion: number | undefined): SubTxn {
  validatePath(path);
  const fixed = fixupAcl(acl, ctx.identity, path);
  const node = lookup(ctx, path);
  checkAcl(node.acl, Perms.ADMIN, ctx.identity, path);
  return { t: "setACL", path, acl: fixed, aversion: checkVersion(node.aversion, aversion, path) };
}

export function prepCheck(ctx: PrepContext, path: string, version: number): SubTxn {
  validatePath(path);
  const node = lookup(ctx, path);
  checkAcl(node.acl, Perms.READ, ctx.identity, path);
  checkVersion(node.version, version, path);
  return { t: "check", path };
}
