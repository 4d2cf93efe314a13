/**
 * The ACL policy for znodes the server creates, the same on both backends. When the server's
 * backend session carries digest credentials (zookeeper://user:password@hosts/chroot, or
 * `backendDigest` for the embedded engine), every znode it creates — config nodes, their
 * parents, /conifer bookkeeping, instance ephemerals — gets
 *   CREATOR_ALL (the server's digest identity: read, write, create, delete, admin)
 *   + READ for world (other clients of a shared ensemble may read config, as ZooKeeper
 *     config readers do, but cannot change, delete or re-ACL it).
 * Without credentials the nodes stay open (OPEN_ACL_UNSAFE) and the server says so at start.
 */
import { CREATOR_ALL_ACL, OPEN_ACL_UNSAFE, Perms, type ACL } from "@conifer/coordinator";

export interface NodePolicy {
  /** added to the server's backend session before its first request */
  auth: { scheme: string; auth: string }[];
  acl: readonly ACL[];
}

export const PROTECTED_ACL: readonly ACL[] = Object.freeze([
  ...CREATOR_ALL_ACL,
  { perms: Perms.READ, id: { scheme: "world", id: "anyone" } },
]);

/** `credentials` = "user:password" the session authenticates with (already part of a ZooKeeper URL, or given for the engine). */
export function nodePolicy(opts: { digest?: string | undefined; sessionAuthenticated?: boolean }): NodePolicy {
  const auth = opts.digest ? [{ scheme: "digest", auth: opts.digest }] : [];
  const authenticated = auth.length > 0 || opts.sessionAuthenticated === true;
  return { auth, acl: authenticated ? PROTECTED_ACL : OPEN_ACL_UNSAFE };
}
