/**
 * Contract cases: every write answers the zxid it was applied at (ZooKeeper's reply header),
 * checked against what the tree says afterwards: a create's czxid/mzxid, a setData's mzxid, a
 * delete's parent pzxid, one zxid for a whole multi, and setACL's own zxid (which no Stat field
 * shows). Like stat.ts, the "+1" cases assume no other writer is active on the backend meanwhile.
 */
import { describe, expect, it } from "vitest";
import { buf, setup, type ContractHarness } from "./harness.ts";

export function writeZxidCases(h: ContractHarness): void {
  describe("write zxid", () => {
    it("create: zxid = czxid = mzxid of the new node, and the parent's pzxid; for every node kind", async () => {
      const { s, p, base } = await setup(h);
      const modes = ["PERSISTENT", "EPHEMERAL", "PERSISTENT_SEQUENTIAL", "EPHEMERAL_SEQUENTIAL", "CONTAINER"] as const;
      let previous = 0n;
      for (const mode of modes) {
        const created = await s.create(p(`k-${mode}`), buf("x"), { mode });
        expect(created.zxid, mode).toBeGreaterThan(previous);
        expect(created.stat.czxid, mode).toBe(created.zxid);
        expect(created.stat.mzxid, mode).toBe(created.zxid);
        expect((await s.exists(created.path))?.czxid, mode).toBe(created.zxid);
        expect((await s.exists(base))?.pzxid, mode).toBe(created.zxid);
        previous = created.zxid;
      }
      if (h.capabilities.ttl) {
        const ttl = await s.create(p("ttl"), buf("t"), { mode: "PERSISTENT_WITH_TTL", ttl: 3_600_000 });
        expect(ttl.zxid).toBeGreaterThan(previous);
        expect(ttl.stat.czxid).toBe(ttl.zxid);
      }
    });

    it("setData: zxid = the node's new mzxid; the next write gets the next zxid", async () => {
      const { s, p } = await setup(h);
      const created = await s.create(p("a"), buf("1"));
      const set = await s.setData(p("a"), buf("2"), 0);
      expect(set.zxid).toBeGreaterThan(created.zxid);
      expect(set.stat.mzxid).toBe(set.zxid);
      expect((await s.getData(p("a"))).stat.mzxid).toBe(set.zxid);
      const next = await s.setData(p("a"), buf("3"));
      expect(next.zxid).toBe(set.zxid + 1n);
    });

    it("delete: zxid = the parent's pzxid right after, later than the node's last mzxid", async () => {
      const { s, p } = await setup(h);
      await s.create(p("d"));
      const child = await s.create(p("d/c"), buf("c"));
      const set = await s.setData(p("d/c"), buf("c2"));
      const deleted = await s.delete(p("d/c"));
      expect(deleted.zxid).toBe(set.zxid + 1n);
      expect(deleted.zxid).toBeGreaterThan(child.zxid);
      expect((await s.exists(p("d")))?.pzxid).toBe(deleted.zxid);
      const after = await s.create(p("later"));
      expect(after.zxid).toBe(deleted.zxid + 1n);
    });

    it("setACL: a zxid of its own, although the node's mzxid and pzxid stay as they were", async () => {
      const { s, p } = await setup(h);
      const created = await s.create(p("a"));
      const acl = [{ perms: 31, id: { scheme: "world", id: "anyone" } }];
      const set = await s.setACL(p("a"), acl, 0);
      expect(set.zxid).toBe(created.zxid + 1n);
      expect(set.stat.mzxid).toBe(created.zxid);
      expect(set.stat.pzxid).toBe(created.zxid);
      expect(set.stat.aversion).toBe(1);
      expect((await s.create(p("b"))).zxid).toBe(set.zxid + 1n);
    });

    it("multi: one zxid for all sub-ops, the one each node's Stat shows", async () => {
      const { s, p, base } = await setup(h);
      await s.create(p("gone"));
      const before = await s.create(p("m"), buf("0"));
      const { zxid, results } = await s.multi([
        { type: "create", path: p("m/a"), data: buf("a") },
        { type: "setData", path: p("m"), data: buf("1"), version: 0 },
        { type: "check", path: p("m"), version: 1 },
        { type: "delete", path: p("gone") },
      ]);
      expect(zxid).toBe(before.zxid + 1n);
      expect(results.map((r) => r.type)).toEqual(["create", "setData", "check", "delete"]);
      const set = results[1];
      if (set?.type !== "setData") throw new Error("expected a setData result");
      expect(set.stat.mzxid).toBe(zxid);
      expect((await s.exists(p("m/a")))?.czxid).toBe(zxid);
      expect((await s.exists(p("m")))?.mzxid).toBe(zxid);
      expect((await s.exists(p("m")))?.pzxid).toBe(zxid);
      expect((await s.exists(base))?.pzxid).toBe(zxid); // the delete of /gone
    });

    it("un-awaited writes of one session answer zxids in issue order, one each", async () => {
      const { s, p } = await setup(h);
      const writes = [
        s.create(p("f"), buf("0")),
        s.setData(p("f"), buf("1")),
        s.create(p("f/c")),
        s.delete(p("f/c")),
        s.setData(p("f"), buf("2")),
      ];
      const zxids = (await Promise.all(writes)).map((w) => w.zxid);
      const first = zxids[0] ?? 0n;
      expect(zxids).toEqual(zxids.map((_, i) => first + BigInt(i)));
      expect((await s.exists(p("f")))?.mzxid).toBe(zxids[4]);
    });
  });
}
