/**
 * ACL rules of §1.6: the identities a session holds, the digest scheme, ACL validation and
 * `auth` expansion at request time (ZooKeeper's fixupACL), permission checks, and the masking
 * getACL applies to digest ids for callers without ADMIN.
 */
import { createHash } from "node:crypto";
import { isIP } from "node:net";
import { CoordinatorError } from "@conifer/coordinator";
import type { ACL, Id } from "@conifer/coordinator";

/** What a session can prove: its ip, any digest identities, and whether it is super. */
export interface Identity {
  ids: Id[];
  isSuper: boolean;
}

export function digestOf(userPassword: string): string {
  const user = userPassword.split(":")[0] ?? "";
  return `${user}:${createHash("sha1").update(userPassword, "utf8").digest("base64")}`;
}

/**
 * AuthPacket handling: digest adds `user:BASE64(SHA1(user:password))` (and super when it equals
 * the configured super digest); ip re-adds the peer address; anything else is AUTH_FAILED.
 */
export function authenticate(identity: Identity, scheme: string, auth: string, superDigest: string | undefined): void {
  if (scheme === "digest") {
    const id = digestOf(auth);
    if (!identity.ids.some((i) => i.scheme === "digest" && i.id === id)) identity.ids.push({ scheme: "digest", id });
    if (superDigest !== undefined && id === superDigest) identity.isSuper = true;
    return;
  }
  if (scheme === "ip") return;
  throw new CoordinatorError("AUTH_FAILED", `authentication failed: unknown scheme ${JSON.stringify(scheme)}`);
}

/** Java's String.split drops trailing empty strings; digest ids are valid with exactly 2 parts */
function validDigestId(id: string): boolean {
  const parts = id.split(":");
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts.length === 2;
}

function parseIpAcl(id: string): { addr: string; bits: number; family: 4 | 6 } | null {
  const slash = id.indexOf("/");
  const addr = slash < 0 ? id : id.slice(0, slash);
  const family = isIP(addr);
  if (family !== 4 && family !== 6) return null;
  const max = family === 4 ? 32 : 128;
  let bits = max;
  if (slash >= 0) {
    const b = id.slice(slash + 1);
    if (!/^\d+$/.test(b)) return null;
    bits = Number(b);
    if (bits > max) return null;
  }
  return { addr, bits, family };
}

function ipBytes(addr: string, family: 4 | 6): number[] {
  if (family === 4) return addr.split(".").map(Number);
  const [head = "", tail = ""] = addr.includes("::") ? addr.split("::") : [addr, ""];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  return groups.flatMap((g) => {
    const v = parseInt(g, 16);
    return [v >> 8, v & 0xff];
  });
}

function ipMatches(sessionIp: string, aclId: string): boolean {
  const acl = parseIpAcl(aclId);
  const fam = isIP(sessionIp);
  if (!acl || fam !== acl.family) return false;
  const a = ipBytes(sessionIp, acl.family);
  const b = ipBytes(acl.addr, acl.family);
  for (let bit = 0; bit < acl.bits; bit++) {
    const i = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((a[i] ?? 0) & mask) !== ((b[i] ?? 0) & mask)) return false;
  }
  return true;
}

const invalid = (path: string | undefined, why: string) =>
  new CoordinatorError("INVALID_ACL", `invalid ACL: ${why}`, path);

/** ZooKeeper's fixupACL: dedupe, validate, expand `auth` into the session's digest identities */
export function fixupAcl(acl: readonly ACL[] | null | undefined, identity: Identity, path?: string): ACL[] {
  if (!acl || acl.length === 0) throw invalid(path, "the list is empty");
  const uniq: ACL[] = [];
  for (const a of acl) {
    if (!uniq.some((u) => u.perms === a.perms && u.id.scheme === a.id?.scheme && u.id.id === a.id?.id)) uniq.push(a);
  }
  const out: ACL[] = [];
  for (const a of uniq) {
    const scheme = a.id?.scheme;
    const id = a.id?.id;
    if (typeof scheme !== "string" || typeof id !== "string" || !Number.isInteger(a.perms))
      throw invalid(path, "malformed entry");
    if (scheme === "world") {
      if (id !== "anyone") throw invalid(path, `world id must be "anyone", got ${JSON.stringify(id)}`);
      out.push({ perms: a.perms, id: { scheme, id } });
    } else if (scheme === "auth") {
      const authed = identity.ids.filter((i) => i.scheme === "digest");
      if (authed.length === 0) throw invalid(path, "scheme auth used without an authenticated identity");
      for (const i of authed) out.push({ perms: a.perms, id: { scheme: i.scheme, id: i.id } });
    } else if (scheme === "digest") {
      if (!validDigestId(id)) throw invalid(path, `digest id must be user:base64hash, got ${JSON.stringify(id)}`);
      out.push({ perms: a.perms, id: { scheme, id } });
    } else if (scheme === "ip") {
      if (!parseIpAcl(id)) throw invalid(path, `bad ip ${JSON.stringify(id)}`);
      out.push({ perms: a.perms, id: { scheme, id } });
    } else {
      throw invalid(path, `unknown scheme ${JSON.stringify(scheme)}`);
    }
  }
  return out;
}

export function allowed(acl: readonly ACL[], perm: number, identity: Identity): boolean {
  if (acl.length === 0 || identity.isSuper) return true;
  for (const a of acl) {
    if ((a.perms & perm) === 0) continue;
    if (a.id.scheme === "world" && a.id.id === "anyone") return true;
    for (const i of identity.ids) {
      if (i.scheme !== a.id.scheme) continue;
      if (i.scheme === "ip" ? ipMatches(i.id, a.id.id) : i.id === a.id.id) return true;
    }
  }
  return false;
}

export function checkAcl(acl: readonly ACL[], perm: number, identity: Identity, path: string): void {
  if (!allowed(acl, perm, identity)) throw new CoordinatorError("NO_AUTH", `not authorized for ${path}`, path);
}

/** getACL for a caller without ADMIN: digest ids come back as `user:x` */
export function maskAcl(acl: readonly ACL[]): ACL[] {
  return acl.map((a) =>
    a.id.scheme === "digest"
      ? { perms: a.perms, id: { scheme: "digest", id: `${a.id.id.split(":")[0]}:x` } }
      : { perms: a.perms, id: { ...a.id } },
  );
}
