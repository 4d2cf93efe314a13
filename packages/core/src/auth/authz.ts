/**
 * THE authorization module: who may do what, where. The tRPC middleware (packages/api), the
 * socket.io gateway and the REST endpoint (apps/server) all ask `authorize` / `canRead` here, so
 * one matrix governs every door.
 *
 * Roles, each including the ones before it, bound to a user per path prefix:
 *   viewer    read: tree, config, search, validate, history, diffs, instances; SDK subscribe/fetch
 *   editor    write: create / update / delete config nodes under a `direct` publish policy;
 *             propose: draft change requests, submit them for review, comment
 *   publisher publish: roll back to an earlier version, publish an approved change, roll back a release;
 *             approve: approve or request changes on someone else's change
 *   admin     admin: users, role bindings, API tokens, the audit log (admin on "/" only);
 *             policy: set the publish policy (direct / review) of a prefix
 * API tokens carry no role: "read" tokens may read, "read-write" tokens may also write and
 * propose (so a CI pipeline can open a change request), both only under their prefixes; tokens
 * never approve, publish, roll back or administer: a person does.
 *
 * System subtrees (/conifer, /zookeeper: bookkeeping, never configuration) are an admin's only,
 * for every action and through every door: a role on "/" does not open them, and API tokens
 * (hence SDKs, which need nothing there: instances register through the socket's `hello`, the
 * server writes /conifer/instances itself) never do.
 */
import { isWithin } from "@conifer/coordinator";
import { ConfigError } from "../errors.ts";
import { isSystemPath } from "../paths.ts";

export const ROLES = ["viewer", "editor", "publisher", "admin"] as const;
export type Role = (typeof ROLES)[number];
export type Action = "read" | "write" | "propose" | "approve" | "publish" | "policy" | "admin";

const ROLE_FOR: Record<Action, Role> = {
  read: "viewer",
  write: "editor",
  propose: "editor",
  approve: "publisher",
  publish: "publisher",
  policy: "admin",
  admin: "admin",
};
const TOKEN_ACTIONS: Record<"read" | "read-write", readonly Action[]> = {
  read: ["read"],
  "read-write": ["read", "write", "propose"],
};
const rank = (r: Role) => ROLES.indexOf(r);

export interface RoleGrant {
  pathPrefix: string;
  role: Role;
}

export type Principal =
  | {
      kind: "user";
      userId: number;
      name: string;
      grants: RoleGrant[];
      sessionHash: string;
      mustChangePassword: boolean;
    }
  | { kind: "token"; tokenId: number; name: string; prefixes: string[]; access: "read" | "read-write" };

export function isRole(r: string): r is Role {
  return (ROLES as readonly string[]).includes(r);
}

/** The prefixes under which `p` may perform `action` (users: by role; tokens: by scope and access). */
export function prefixesFor(p: Principal, action: Action): string[] {
  if (p.kind === "token") return TOKEN_ACTIONS[p.access].includes(action) ? p.prefixes : [];
  return p.grants.filter((g) => rank(g.role) >= rank(ROLE_FOR[action])).map((g) => g.pathPrefix);
}

/** May `p` perform `action` on `path`? Admin actions are global: they need admin on "/". */
export function can(p: Principal, action: Action, path = "/"): boolean {
  const target = action === "admin" ? "/" : path;
  if (action !== "admin" && isSystemPath(target) && !can(p, "admin")) return false;
  return prefixesFor(p, action).some((prefix) => isWithin(target, prefix));
}

/** Like `can`, but throws FORBIDDEN with a message naming what was refused. */
export function authorize(p: Principal | null, action: Action, path = "/"): asserts p is Principal {
  if (!p) throw new ConfigError("UNAUTHENTICATED", "Sign in (or send an API token) first");
  if (!can(p, action, path)) {
    if (action !== "admin" && isSystemPath(path)) {
      const owner = path === "/zookeeper" || path.startsWith("/zookeeper/") ? "ZooKeeper's" : "the Conifer server's";
      throw new ConfigError(
        "FORBIDDEN",
        `${path} is a system node (${owner} own bookkeeping, not configuration): only an admin may open it`,
        { action, path, reason: "system" },
      );
    }
    const who = p.kind === "user" ? `user ${p.name}` : `token ${p.name}`;
    throw new ConfigError(
      "FORBIDDEN",
      `${who} may not ${action} ${action === "admin" ? "accounts and tokens" : path}`,
      { action, path },
    );
  }
}

/** True when `path` is an ancestor of some readable prefix: browsing down to it is allowed, content is not. */
export function canBrowse(p: Principal, path: string): boolean {
  return can(p, "read", path) || prefixesFor(p, "read").some((prefix) => isWithin(prefix, path));
}

/** What the console needs to hide controls: the prefixes per action. */
export function permissionsOf(p: Principal): Record<Action, string[]> {
  return {
    read: prefixesFor(p, "read"),
    write: prefixesFor(p, "write"),
    propose: prefixesFor(p, "propose"),
    approve: prefixesFor(p, "approve"),
    publish: prefixesFor(p, "publish"),
    policy: prefixesFor(p, "policy"),
    admin: prefixesFor(p, "admin"),
  };
}
