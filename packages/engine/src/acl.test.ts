/** Unit tests for the ACL rules of §1.6: digest ids, fixupACL validation, checks and masking. */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CoordinatorError } from "@conifer/coordinator";
import { allowed, authenticate, digestOf, fixupAcl, maskAcl } from "./acl.ts";
import type { Identity } from "./acl.ts";

const anon = (): Identity => ({ ids: [{ scheme: "ip", id: "127.0.0.1" }], isSuper: false });
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as CoordinatorError).code;
  }
  return "OK";
};

describe("digest", () => {
  it("is user:BASE64(SHA1(user:password))", () => {
    const h = createHash("sha1").update("alice:secret").digest("base64");
    expect(digestOf("alice:secret")).toBe(`alice:${h}`);
  });

  it("adds identities, super only with the matching digest, AUTH_FAILED for unknown schemes", () => {
    const id = anon();
    authenticate(id, "digest", "alice:secret", digestOf("super:pw"));
    expect(id.ids).toContainEqual({ scheme: "digest", id: digestOf("alice:secret") });
    expect(id.isSuper).toBe(false);
    authenticate(id, "digest", "super:pw", digestOf("super:pw"));
    expect(id.isSuper).toBe(true);
    expect(code(() => authenticate(id, "kerberos", "x", undefined))).toBe("AUTH_FAILED");
  });
});

describe("fixupAcl", () => {
  it("rejects empty lists, bad world ids, unknown schemes, bad ips, digest ids without ':'", () => {
    expect(code(() => fixupAcl([], anon()))).toBe("INVALID_ACL");
    expect(code(() => fixupAcl([{ perms: 31, id: { scheme: "world", id: "someone" } }], anon()))).toBe("INVALID_ACL");
    expect(code(() => fixupAcl([{ perms: 31, id: { scheme: "nope", id: "x" } }], anon()))).toBe("INVALID_ACL");
    expect(code(() => fixupAcl([{ perms: 31, id: { scheme: "ip", id: "300.1.1.1" } }], anon()))).toBe("INVALID_ACL");
    expect(code(() => fixupAcl([{ perms: 31, id: { scheme: "digest", id: "alice" } }], anon()))).toBe("INVALID_ACL");
    expect(code(() => fixupAcl([{ perms: 31, id: { scheme: "auth", id: "" } }], anon()))).toBe("INVALID_ACL");
  });

  it("expands auth to the session's digest identities and removes duplicates", () => {
    const id = anon();
    authenticate(id, "digest", "alice:secret", undefined);
    const acl = fixupAcl(
      [
        { perms: 31, id: { scheme: "auth", id: "" } },
        { perms: 1, id: { scheme: "world", id: "anyone" } },
        { perms: 1, id: { scheme: "world", id: "anyone" } },
      ],
      id,
    );
    expect(acl).toEqual([
      { perms: 31, id: { scheme: "digest", id: digestOf("alice:secret") } },
      { perms: 1, id: { scheme: "world", id: "anyone" } },
    ]);
    expect(fixupAcl([{ perms: 0, id: { scheme: "ip", id: "10.0.0.0/8" } }], id)).toHaveLength(1);
  });
});

describe("allowed", () => {
  it("parses ip ACLs as ZooKeeper 3.8 does: IPv4 only, octets and bits as Java integers", () => {
    const ip = (id: string) => code(() => fixupAcl([{ perms: 1, id: { scheme: "ip", id } }], anon()));
    for (const ok of ["127.000.0.1", "127.0.0.1/+8", "+1.-0.0.1", "\u0661\u0662\u0667.0.0.\uff11", "1.2.3.4/0"])
      expect(ip(ok), ok).toBe("OK");
    for (const bad of [
      "::1",
      "fe80::/10",
      "1.2.3.4/33",
      "1.2.3.4/",
      "1.2.3.4/8/8",
      "1.2.3",
      "1.2.3.4.",
      "1.2.3.-1",
      "1..3.4",
    ])
      expect(ip(bad), bad).toBe("INVALID_ACL");
    const from = (addr: string): Identity => ({ ids: [{ scheme: "ip", id: addr }], isSuper: false });
    // Arabic-Indic 127 and a fullwidth 1 are Java digits, so this ACL names 127.0.0.1
    expect(
      allowed([{ perms: 1, id: { scheme: "ip", id: "\u0661\u0662\u0667.0.0.\uff11" } }], 1, from("127.0.0.1")),
    ).toBe(true);
    expect(allowed([{ perms: 1, id: { scheme: "ip", id: "10.0.0.0/+8" } }], 1, from("10.9.9.9"))).toBe(true);
    expect(allowed([{ perms: 1, id: { scheme: "ip", id: "10.0.0.0/+8" } }], 1, from("11.0.0.0"))).toBe(false);
  });

  it("matches world, digest, ip masks, empty lists and super", () => {
    const id = anon();
    expect(allowed([], 1, id)).toBe(true);
    expect(allowed([{ perms: 1, id: { scheme: "world", id: "anyone" } }], 2, id)).toBe(false);
    expect(allowed([{ perms: 2, id: { scheme: "ip", id: "127.0.0.0/8" } }], 2, id)).toBe(true);
    expect(allowed([{ perms: 2, id: { scheme: "ip", id: "10.0.0.1" } }], 2, id)).toBe(false);
    const d = { perms: 31, id: { scheme: "digest", id: digestOf("bob:pw") } };
    expect(allowed([d], 1, id)).toBe(false);
    authenticate(id, "digest", "bob:wrong", undefined);
    expect(allowed([d], 1, id)).toBe(false);
    authenticate(id, "digest", "bob:pw", undefined);
    expect(allowed([d], 1, id)).toBe(true);
    expect(allowed([d], 1, { ids: [], isSuper: true })).toBe(true);
  });

  it("masks digest ids as user:x", () => {
    expect(maskAcl([{ perms: 31, id: { scheme: "digest", id: digestOf("alice:s") } }])).toEqual([
      { perms: 31, id: { scheme: "digest", id: "alice:x" } },
    ]);
  });
});
