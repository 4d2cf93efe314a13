/**
 * ACL rules of §1.6: the identities a session holds, the digest scheme, ACL validation and
 * `auth` expansion at request time (ZooKeeper's fixupACL), permission checks, and the masking
 * getACL applies to digest ids for callers without ADMIN.
 */
import { createHash } from "node:crypto";
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

/**
 * Java's Integer.parseInt for the small numbers of an ip ACL: an optional sign, then decimal
 * digits of any script (Character.digit accepts them all); null where Java throws.
 */
function javaInt(s: string): number | null {
  if (!/^[+-]?\p{Nd}+$/u.test(s) || /[\u{10000}-\u{10FFFF}]/u.test(s)) return null;
  let v = 0;
  for (const ch of s.replace(/^[+-]/, "")) {
    v = v * 10 + digitValue(ch);
    if (v > 2 ** 31) return null;
  }
  v = s.startsWith("-") ? -v : v;
  return v > 2 ** 31 - 1 ? null : v;
}

/** a decimal digit's value: Unicode keeps every script's digits in runs of ten, 0 to 9 */
function digitValue(ch: string): number {
  let cp = ch.codePointAt(0) ?? 0;
  let before = 0;
  while (/\p{Nd}/u.test(String.fromCodePoint(cp - 1))) {
    cp--;
    before++;
  }
  return before % 10;
}

/** ZooKeeper 3.8's IPAuthenticationProvider: dotted IPv4 only, split("\\.", -1) into 4 octets */
function ipv4Bytes(addr: string): number[] | null {
  const parts = addr.split(".");
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    const v = javaInt(p);
    if (v === null || v < 0 || v > 255) return null;
    out.push(v);
  }
  return out;
}

/** `addr[/bits]`, split("/", 2) as ZooKeeper does; null when isValid would be false */
function parseIpAcl(id: string): { addr: number[]; bits: number } | null {
  const slash = id.indexOf("/");
  const addr = ipv4Bytes(slash < 0 ? id : id.slice(0, slash));
  if (!addr) return null;
  let bits = 32;
  if (slash >= 0) {
    const b = javaInt(id.slice(slash + 1));
    if (b === null || b < 0 || b > 32) return null;
    bits = b;
  }
  return { addr, bits };
}

function ipMatches(sessionIp: string, aclId: string): boolean {
  const acl = parseIpAcl(aclId);
  const remote = ipv4Bytes(sessionIp);
  if (!acl || !remote) return false;
  for (let bit = 0; bit < acl.bits; bit++) {
    const i = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((remote[i] ?? 0) & mask) !== ((acl.addr[i] ?? 0) & mask)) return false;
  }
  return true;
}

const invalid = (path: string | undefined, why: string) =>
  new CoordinatorError("INVALID_ACL", `invalid ACL: ${why}`, path);

/** an ACL entry as untyped callers may send it: any field may be missing or of the wrong type */
export interface UncheckedAcl {
  perms: unknown;
  id?: { scheme?: unknown; id?: unknown } | null;
}

/** ZooKeeper's fixupACL: dedupe, validate, expand `auth` into the session's digest identities */
export function fixupAcl(acl: readonly UncheckedAcl[] | null | undefined, identity: Identity, path?: string): ACL[] {
  if (!acl || acl.length === 0) throw invalid(path, "the list is empty");
  const uniq: UncheckedAcl[] = [];
  for (const a of acl) {
    if (!uniq.some((u) => u.perms === a.perms && u.id?.scheme === a.id?.scheme && u.id?.id === a.id?.id)) uniq.push(a);
  }
  const out: ACL[] = [];
  for (const a of uniq) {
    const scheme = a.id?.scheme;
    const id = a.id?.id;
    const perms = a.perms;
    if (typeof scheme !== "string" || typeof id !== "string" || typeof perms !== "number" || !Number.isInteger(perms))
      throw invalid(path, "malformed entry");
    if (scheme === "world") {
      if (id !== "anyone") throw invalid(path, `world id must be "anyone", got ${JSON.stringify(id)}`);
      out.push({ perms, id: { scheme, id } });
    } else if (scheme === "auth") {
      const authed = identity.ids.filter((i) => i.scheme === "digest");
      if (authed.length === 0) throw invalid(path, "scheme auth used without an authenticated identity");
      for (const i of authed) out.push({ perms, id: { scheme: i.scheme, id: i.id } });
    } else if (scheme === "digest") {
      if (!validDigestId(id)) throw invalid(path, `digest id must be user:base64hash, got ${JSON.stringify(id)}`);
      out.push({ perms, id: { scheme, id } });
    } else if (scheme === "ip") {
      if (!parseIpAcl(id)) throw invalid(path, `bad ip ${JSON.stringify(id)}`);
      out.push({ perms, id: { scheme, id } });
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

/**
 * whoAmI (107): the identities in the order they were added, each with the user name ZooKeeper
 * shows for it (digest ids: the part before the colon); super adds ("super", "")
 */
export function identitiesOf(identity: Identity): { scheme: string; id: string; user: string }[] {
  const out = identity.ids.map((i) => ({
    scheme: i.scheme,
    id: i.id,
    user: i.scheme === "digest" ? (i.id.split(":")[0] ?? "") : i.id,
  }));
  return identity.isSuper ? [...out, { scheme: "super", id: "", user: "" }] : out;
}
