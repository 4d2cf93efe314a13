/**
 * Contract cases: ACL checks per operation, digest auth, getACL masking and INVALID_ACL
 * (§1.6 and checklist items 47–54 of the protocol reference).
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ACL } from "../types.ts";
import { buf, expectCode, setup, type ContractHarness } from "./harness.ts";

/** the stored digest id for user:password, as ZooKeeper computes it */
export function digestId(user: string, password: string): string {
  return `${user}:${createHash("sha1").update(`${user}:${password}`).digest("base64")}`;
}

const world = (perms: number): ACL => ({ perms, id: { scheme: "world", id: "anyone" } });
const digest = (perms: number, user: string, password: string): ACL => ({
  perms,
  id: { scheme: "digest", id: digestId(user, password) },
});

export function aclCases(h: ContractHarness): void {
  describe("acl", () => {
    it("CREATOR_ALL_ACL after addAuth digest stores digest:user:base64(sha1)", async () => {
      const { s, p } = await setup(h);
      await s.addAuth("digest", "alice:secret");
      await s.create(p("a"), buf("x"), { acl: [{ perms: 31, id: { scheme: "auth", id: "" } }] });
      const { acl } = await s.getACL(p("a"));
      expect(acl).toEqual([digest(31, "alice", "secret")]);
      expect(acl[0]?.id.id).toBe("alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=");
      expect((await s.getData(p("a"))).data.toString()).toBe("x");
    });

    it("an unauthenticated session is refused reads and writes (NO_AUTH) but may use exists and delete", async () => {
      const { s, p, connect } = await setup(h);
      await s.addAuth("digest", "alice:secret");
      await s.create(p("a"), buf("x"), { acl: [digest(31, "alice", "secret")] });
      const anon = await connect();
      await anon.sync(p("a"));
      await expectCode(anon.getData(p("a")), "NO_AUTH");
      await expectCode(anon.getChildren(p("a")), "NO_AUTH");
      await expectCode(anon.getACL(p("a")), "NO_AUTH");
      await expectCode(anon.setData(p("a"), buf("y")), "NO_AUTH");
      await expectCode(anon.create(p("a/c")), "NO_AUTH");
      await expectCode(anon.setACL(p("a"), [world(31)]), "NO_AUTH");
      await expectCode(anon.getAllChildrenNumber(p("a")), "NO_AUTH");
      expect((await anon.exists(p("a")))?.dataLength).toBe(1);
      // delete needs DELETE on the parent, which is open; the node's own ACL does not matter
      await anon.delete(p("a"));
      expect(await anon.exists(p("a"))).toBeNull();
    });

    it("a wrong digest password is accepted by addAuth but matches nothing", async () => {
      const { s, p, connect } = await setup(h);
      await s.create(p("a"), buf("x"), { acl: [digest(31, "alice", "secret")] });
      const wrong = await connect();
      await wrong.addAuth("digest", "alice:wrong");
      await wrong.sync(p("a"));
      await expectCode(wrong.getData(p("a")), "NO_AUTH");
      const right = await connect({ auth: [{ scheme: "digest", auth: "alice:secret" }] });
      await right.sync(p("a"));
      expect((await right.getData(p("a"))).data.toString()).toBe("x");
    });

    it("INVALID_ACL: empty list, world id other than anyone, unknown scheme, auth without credentials, digest id without ':'", async () => {
      const { s, p } = await setup(h);
      await expectCode(s.create(p("a"), null, { acl: [] }), "INVALID_ACL");
      await expectCode(
        s.create(p("a"), null, { acl: [{ perms: 31, id: { scheme: "world", id: "someone" } }] }),
        "INVALID_ACL",
      );
      await expectCode(
        s.create(p("a"), null, { acl: [{ perms: 31, id: { scheme: "nope", id: "x" } }] }),
        "INVALID_ACL",
      );
      await expectCode(s.create(p("a"), null, { acl: [{ perms: 31, id: { scheme: "auth", id: "" } }] }), "INVALID_ACL");
      await expectCode(
        s.create(p("a"), null, { acl: [{ perms: 31, id: { scheme: "digest", id: "nocolon" } }] }),
        "INVALID_ACL",
      );
      await s.create(p("a"));
      await expectCode(s.setACL(p("a"), []), "INVALID_ACL");
      expect(await s.exists(p("a"))).not.toBeNull();
    });

    it("getACL without ADMIN masks digest ids as user:x", async () => {
      const { s, p, connect } = await setup(h);
      await s.create(p("a"), null, { acl: [world(1), digest(31, "alice", "secret")] });
      const anon = await connect();
      await anon.sync(p("a"));
      const { acl } = await anon.getACL(p("a"));
      expect(acl).toEqual([world(1), { perms: 31, id: { scheme: "digest", id: "alice:x" } }]);
      const alice = await connect({ auth: [{ scheme: "digest", auth: "alice:secret" }] });
      await alice.sync(p("a"));
      expect((await alice.getACL(p("a"))).acl).toEqual([world(1), digest(31, "alice", "secret")]);
    });

    it("setACL needs ADMIN; a wrong aversion is BAD_VERSION; success bumps aversion", async () => {
      const { s, p } = await setup(h);
      await s.create(p("a"), null, { acl: [world(31 & ~16)] });
      await expectCode(s.setACL(p("a"), [world(31)]), "NO_AUTH");
      await s.create(p("b"));
      await expectCode(s.setACL(p("b"), [world(15)], 3), "BAD_VERSION");
      const { stat: st } = await s.setACL(p("b"), [world(15)], 0);
      expect(st.aversion).toBe(1);
      expect((await s.getACL(p("b"))).acl).toEqual([world(15)]);
      // without ADMIN now, even on its own node
      await expectCode(s.setACL(p("b"), [world(31)]), "NO_AUTH");
    });

    it("CREATE-only parent: children can be created but not deleted", async () => {
      const { s, p } = await setup(h);
      await s.create(p("cr"), null, { acl: [world(4)] });
      await s.create(p("cr/x"));
      await expectCode(s.delete(p("cr/x")), "NO_AUTH");
      await expectCode(s.getChildren(p("cr")), "NO_AUTH");
    });

    it("READ-only node: getData works, setData is NO_AUTH", async () => {
      const { s, p } = await setup(h);
      await s.create(p("ro"), buf("v"), { acl: [world(1)] });
      expect((await s.getData(p("ro"))).data.toString()).toBe("v");
      expect((await s.getChildren(p("ro"))).children).toEqual([]);
      await expectCode(s.setData(p("ro"), buf("w")), "NO_AUTH");
      await expectCode(s.create(p("ro/c")), "NO_AUTH");
    });

    it("several auths accumulate identities", async () => {
      const { s, p, connect } = await setup(h);
      await s.create(p("a"), buf("a"), { acl: [digest(31, "alice", "secret")] });
      await s.create(p("b"), buf("b"), { acl: [digest(31, "bob", "pw")] });
      const both = await connect();
      await both.addAuth("digest", "alice:secret");
      await both.addAuth("digest", "bob:pw");
      await both.sync(p("a"));
      expect((await both.getData(p("a"))).data.toString()).toBe("a");
      expect((await both.getData(p("b"))).data.toString()).toBe("b");
    });

    it("CREATOR_ALL_ACL with two identities stores one entry per identity", async () => {
      const { s, p } = await setup(h);
      await s.addAuth("digest", "alice:secret");
      await s.addAuth("digest", "bob:pw");
      await s.create(p("a"), null, { acl: [{ perms: 31, id: { scheme: "auth", id: "" } }] });
      const ids = (await s.getACL(p("a"))).acl.map((a) => a.id.id).sort();
      expect(ids).toEqual([digestId("alice", "secret"), digestId("bob", "pw")].sort());
    });

    it("addAuth with an unknown scheme fails with AUTH_FAILED", async () => {
      const { connect } = await setup(h);
      const c = await connect();
      await expectCode(c.addAuth("nosuchscheme", "whatever"), "AUTH_FAILED");
    });

    it("connect with an unknown auth scheme fails with AUTH_FAILED", async () => {
      const { backend } = await setup(h);
      await expectCode(backend.connect({ auth: [{ scheme: "nosuchscheme", auth: "whatever" }] }), "AUTH_FAILED");
      await expectCode(
        backend.connect({
          auth: [
            { scheme: "digest", auth: "alice:secret" },
            { scheme: "nosuchscheme", auth: "whatever" },
          ],
        }),
        "AUTH_FAILED",
      );
    });

    it("perms 0 is a valid ACL that allows nothing but exists", async () => {
      const { s, p } = await setup(h);
      await s.create(p("z"), buf("x"), { acl: [world(0)] });
      await expectCode(s.getData(p("z")), "NO_AUTH");
      expect(await s.exists(p("z"))).not.toBeNull();
      await s.delete(p("z"));
    });
  });
}
