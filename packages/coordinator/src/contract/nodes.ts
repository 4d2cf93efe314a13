/**
 * Contract cases: znode kinds, create/delete/read errors, paths and built-in nodes
 * (§1.1–1.2, §2.2 and checklist items 6–11, 22–25, 55–57 of the protocol reference).
 */
import { describe, expect, it } from "vitest";
import { CoordinatorError } from "../errors.ts";
import { buf, expectCode, recorder, setup, until, type ContractHarness } from "./harness.ts";

export function nodeCases(h: ContractHarness): void {
  describe("znodes", () => {
    it("create returns the path; getData returns the data; exists and getChildren see the node", async () => {
      const { s, base, p } = await setup(h);
      const r = await s.create(p("a"), buf("hello"));
      expect(r.path).toBe(p("a"));
      const d = await s.getData(p("a"));
      expect(d.data.toString()).toBe("hello");
      expect(d.stat).toEqual(r.stat);
      expect(await s.exists(p("a"))).toEqual(r.stat);
      expect((await s.getChildren(base)).children).toEqual(["a"]);
    });

    it("exists on a missing node returns null", async () => {
      const { s, p } = await setup(h);
      expect(await s.exists(p("missing"))).toBeNull();
    });

    it("create of an existing path fails with NODE_EXISTS", async () => {
      const { s, p } = await setup(h);
      await s.create(p("a"));
      await expectCode(s.create(p("a")), "NODE_EXISTS");
    });

    it("create under a missing parent fails with NO_NODE", async () => {
      const { s, p } = await setup(h);
      await expectCode(s.create(p("x/y")), "NO_NODE");
    });

    it("invalid paths are refused with BAD_ARGUMENTS; '...' is a legal name", async () => {
      const { s, base, p } = await setup(h);
      await s.create(p("a"));
      for (const bad of ["a", `${base}/a/`, `${base}/a/.`, `${base}/a/..`, `${base}/a/./b`]) {
        await expectCode(s.create(bad), "BAD_ARGUMENTS");
      }
      expect((await s.create(p("a/..."))).path).toBe(p("a/..."));
    });

    it("the root and /zookeeper already exist; built-in nodes cannot be deleted", async () => {
      const { s } = await setup(h);
      await expectCode(s.create("/"), "NODE_EXISTS");
      await expectCode(s.create("/zookeeper"), "NODE_EXISTS");
      await expectCode(s.delete("/"), "BAD_ARGUMENTS");
      await expectCode(s.delete("/zookeeper"), "BAD_ARGUMENTS");
      await expectCode(s.delete("/zookeeper/quota"), "BAD_ARGUMENTS");
      await expectCode(s.delete("/zookeeper/config"), "BAD_ARGUMENTS");
    });

    it("/zookeeper/config is readable by anyone with aversion -1", async () => {
      const { s } = await setup(h);
      const { acl, stat } = await s.getACL("/zookeeper/config");
      expect(acl).toEqual([{ perms: 1, id: { scheme: "world", id: "anyone" } }]);
      expect(stat.aversion).toBe(-1);
    });

    it("getData, setData, getChildren, getACL and setACL of a missing node fail with NO_NODE", async () => {
      const { s, p } = await setup(h);
      await expectCode(s.getData(p("none")), "NO_NODE");
      await expectCode(s.setData(p("none"), buf("x")), "NO_NODE");
      await expectCode(s.getChildren(p("none")), "NO_NODE");
      await expectCode(s.getACL(p("none")), "NO_NODE");
      await expectCode(s.setACL(p("none"), [{ perms: 31, id: { scheme: "world", id: "anyone" } }]), "NO_NODE");
      await expectCode(s.getAllChildrenNumber(p("none")), "NO_NODE");
    });

    it("delete: missing node NO_NODE, non-empty NOT_EMPTY, wrong version beats NOT_EMPTY, right version deletes", async () => {
      const { s, p } = await setup(h);
      await expectCode(s.delete(p("none")), "NO_NODE");
      await s.create(p("a"));
      await s.create(p("a/b"));
      await expectCode(s.delete(p("a")), "NOT_EMPTY");
      await expectCode(s.delete(p("a"), 7), "BAD_VERSION");
      await s.setData(p("a/b"), buf("1"));
      await expectCode(s.delete(p("a/b"), 0), "BAD_VERSION");
      await expectCode(s.delete(p("a/b"), -2), "BAD_VERSION");
      await s.delete(p("a/b"), 1);
      await s.delete(p("a"), 0);
      expect(await s.exists(p("a"))).toBeNull();
    });

    it("null and empty data both read back as an empty buffer with dataLength 0", async () => {
      const { s, p } = await setup(h);
      await s.create(p("n"), null);
      await s.create(p("e"), Buffer.alloc(0));
      for (const path of [p("n"), p("e")]) {
        const d = await s.getData(path);
        expect(d.data.length).toBe(0);
        expect(d.stat.dataLength).toBe(0);
      }
    });

    it("binary data round-trips byte for byte, up to maxDataBytes", async () => {
      const { backend, s, p } = await setup(h);
      const bytes = Buffer.from([0, 255, 1, 128, 10, 13, 0]);
      await s.create(p("bin"), bytes);
      expect((await s.getData(p("bin"))).data.equals(bytes)).toBe(true);
      const big = Buffer.alloc(backend.maxDataBytes, 0x61);
      const { stat: st } = await s.setData(p("bin"), big);
      expect(st.dataLength).toBe(backend.maxDataBytes);
      expect((await s.getData(p("bin"))).data.equals(big)).toBe(true);
    });

    it("ephemeral: ephemeralOwner is the session id; no children allowed; its own path is NODE_EXISTS", async () => {
      const { s, p } = await setup(h);
      const r = await s.create(p("e"), null, { mode: "EPHEMERAL" });
      expect(r.stat.ephemeralOwner).toBe(s.sessionId);
      expect(s.sessionId).not.toBe(0n);
      await expectCode(s.create(p("e/c")), "NO_CHILDREN_FOR_EPHEMERALS");
      await expectCode(s.create(p("e/c"), null, { mode: "EPHEMERAL" }), "NO_CHILDREN_FOR_EPHEMERALS");
      await expectCode(s.create(p("e/c"), null, { mode: "PERSISTENT_SEQUENTIAL" }), "NO_CHILDREN_FOR_EPHEMERALS");
      await expectCode(s.create(p("e"), null, { mode: "EPHEMERAL" }), "NODE_EXISTS");
      await expectCode(s.create(p("e")), "NODE_EXISTS");
    });

    it("an ephemeral is visible to other sessions and disappears when its session closes", async () => {
      const { s, p, connect } = await setup(h);
      const other = await connect();
      await other.create(p("e"), buf("x"), { mode: "EPHEMERAL" });
      await s.sync(p("e"));
      expect((await s.exists(p("e")))?.ephemeralOwner).toBe(other.sessionId);
      await other.close();
      await s.sync(p("e"));
      expect(await s.exists(p("e"))).toBeNull();
    });

    it("persistent and container nodes report ephemeralOwner 0", async () => {
      const { s, p } = await setup(h);
      expect((await s.create(p("per"))).stat.ephemeralOwner).toBe(0n);
      const c = await s.create(p("con"), null, { mode: "CONTAINER" });
      expect(c.path).toBe(p("con"));
      expect(c.stat.ephemeralOwner).toBe(0n);
      expect((await s.exists(p("con")))?.ephemeralOwner).toBe(0n);
    });

    it("a container accepts children and is removed by the backend once its last child is gone", async () => {
      const { s, p } = await setup(h);
      await s.create(p("con"), null, { mode: "CONTAINER" });
      await s.create(p("con/child"), buf("x"));
      expect((await s.getChildren(p("con"))).children).toEqual(["child"]);
      const r = recorder();
      await s.exists(p("con"), r.watcher);
      await s.delete(p("con/child"));
      // reaping fires a normal delete watch
      expect(await r.waitFor(1)).toEqual([{ type: "NodeDeleted", path: p("con") }]);
      expect(await s.exists(p("con"))).toBeNull();
    });

    it.skipIf(!h.capabilities.ttl)("TTL nodes: ephemeralOwner 0, accept children, ttl must be positive", async () => {
      const { s, p } = await setup(h);
      const t = await s.create(p("t"), buf("x"), { mode: "PERSISTENT_WITH_TTL", ttl: 3_600_000 });
      expect(t.stat.ephemeralOwner).toBe(0n);
      expect((await s.create(p("t/c"))).path).toBe(p("t/c"));
      const sq = await s.create(p("t/s-"), null, { mode: "PERSISTENT_SEQUENTIAL_WITH_TTL", ttl: 3_600_000 });
      expect(sq.path).toBe(p("t/s-0000000001"));
      await expectCode(s.create(p("bad"), null, { mode: "PERSISTENT_WITH_TTL", ttl: 0 }), "BAD_ARGUMENTS");
      await expectCode(s.create(p("bad"), null, { mode: "PERSISTENT_WITH_TTL", ttl: -5 }), "BAD_ARGUMENTS");
      await expectCode(s.create(p("bad"), null, { mode: "PERSISTENT_WITH_TTL" }), "BAD_ARGUMENTS");
    });

    it.skipIf(!h.capabilities.ttl)(
      "a childless TTL node is removed once it was not modified for longer than its ttl",
      async () => {
        const { s, p } = await setup(h);
        await s.create(p("t"), buf("x"), { mode: "PERSISTENT_WITH_TTL", ttl: Math.max(200, h.capabilities.tickMs) });
        const r = recorder();
        await s.exists(p("t"), r.watcher);
        expect(await r.waitFor(1)).toEqual([{ type: "NodeDeleted", path: p("t") }]);
      },
    );

    it.skipIf(h.capabilities.ttl)("TTL creates are refused with UNIMPLEMENTED when TTL support is off", async () => {
      const { s, p } = await setup(h);
      await expectCode(s.create(p("t"), null, { mode: "PERSISTENT_WITH_TTL", ttl: 1000 }), "UNIMPLEMENTED");
    });

    it("getAllChildrenNumber counts all descendants", async () => {
      const { s, base, p } = await setup(h);
      await s.create(p("a"));
      await s.create(p("a/b"));
      await s.create(p("a/b/c"));
      await s.create(p("d"));
      expect(await s.getAllChildrenNumber(base)).toBe(4);
      expect(await s.getAllChildrenNumber(p("a"))).toBe(2);
      expect(await s.getAllChildrenNumber(p("d"))).toBe(0);
    });

    it("getEphemerals lists only this session's ephemerals, matching the prefix as a string", async () => {
      const { s, p, connect } = await setup(h);
      const other = await connect();
      await s.create(p("ab"));
      await s.create(p("e1"), null, { mode: "EPHEMERAL" });
      await s.create(p("ab/e2"), null, { mode: "EPHEMERAL_SEQUENTIAL" });
      await other.create(p("e3"), null, { mode: "EPHEMERAL" });
      const mine = (await s.getEphemerals(p(""))).sort();
      expect(mine).toEqual([p("ab/e20000000000"), p("e1")]);
      expect(await s.getEphemerals(p("a"))).toEqual([p("ab/e20000000000")]);
      expect((await s.getEphemerals("/")).filter((x) => x.startsWith(p("")))).toHaveLength(2);
      expect(await other.getEphemerals(p(""))).toEqual([p("e3")]);
    });

    it("sync accepts any path, existing or not, and changes nothing", async () => {
      const { s, base, p } = await setup(h);
      await s.create(p("here"));
      const before = (await s.exists(base))!;
      await expect(s.sync(p("nope"))).resolves.toBeUndefined();
      await expect(s.sync(p("nope/deeper"))).resolves.toBeUndefined();
      await expect(s.sync(p("here"))).resolves.toBeUndefined();
      await expect(s.sync("/")).resolves.toBeUndefined();
      // nothing was created under (or written to) the base: same children, same stat
      expect(await s.exists(p("nope"))).toBeNull();
      expect((await s.getChildren(base)).children).toEqual(["here"]);
      expect(await s.exists(base)).toEqual(before);
    });

    it("children are listed by name, without the parent path", async () => {
      const { s, base, p } = await setup(h);
      for (const n of ["x", "y", "z"]) await s.create(p(n));
      const { children, stat } = await s.getChildren(base);
      expect([...children].sort()).toEqual(["x", "y", "z"]);
      expect(stat.numChildren).toBe(3);
    });

    it("a node deleted by another session is gone for this one after sync", async () => {
      const { s, p, connect } = await setup(h);
      const other = await connect();
      await s.create(p("a"));
      await other.sync(p("a"));
      await other.delete(p("a"));
      await s.sync(p("a"));
      await until("node gone", async () => (await s.exists(p("a"))) === null);
      const err = await expectCode(s.getData(p("a")), "NO_NODE");
      expect(CoordinatorError.is(err, "NO_NODE")).toBe(true);
    });
  });
}
