/**
 * Contract cases: every Stat field and when it changes, and zxid accounting as seen through
 * Stats (§1.4, §2.3, §2.6 and checklist items 7, 17, 19–21, 28 of the protocol reference).
 * The zxid cases assume no other writer is active on the backend meanwhile, as in this suite.
 */
import { describe, expect, it } from "vitest";
import { buf, expectCode, setup, type ContractHarness } from "./harness.ts";

export function statCases(h: ContractHarness): void {
  describe("stat", () => {
    it("a new node: czxid = mzxid = pzxid, versions 0, ctime = mtime (ms since the epoch), sizes", async () => {
      const { s, p } = await setup(h);
      const before = Date.now();
      const { stat } = await s.create(p("a"), buf("héllo"));
      expect(stat.czxid).toBeGreaterThan(0n);
      expect(stat.mzxid).toBe(stat.czxid);
      expect(stat.pzxid).toBe(stat.czxid);
      expect(stat.version).toBe(0);
      expect(stat.cversion).toBe(0);
      expect(stat.aversion).toBe(0);
      expect(stat.ephemeralOwner).toBe(0n);
      expect(stat.dataLength).toBe(6);
      expect(stat.numChildren).toBe(0);
      expect(stat.mtime).toBe(stat.ctime);
      // same machine: the backend clock is close to ours (generous bound, not a duration)
      expect(Math.abs(stat.ctime - before)).toBeLessThan(10 * 60_000);
    });

    it("zxids grow with every write: a later create has a larger czxid", async () => {
      const { s, p } = await setup(h);
      const a = await s.create(p("a"));
      const b = await s.create(p("b"));
      expect(b.stat.czxid).toBeGreaterThan(a.stat.czxid);
    });

    it("setData: version +1, mzxid = the write's zxid, ctime/czxid/cversion/aversion/pzxid unchanged", async () => {
      const { s, p } = await setup(h);
      const { stat: c } = await s.create(p("a"), buf("1"));
      const { stat: st } = await s.setData(p("a"), buf("22"), 0);
      expect(st.version).toBe(1);
      expect(st.mzxid).toBeGreaterThan(c.mzxid);
      expect(st.czxid).toBe(c.czxid);
      expect(st.ctime).toBe(c.ctime);
      expect(st.mtime).toBeGreaterThanOrEqual(c.mtime);
      expect(st.cversion).toBe(0);
      expect(st.aversion).toBe(0);
      expect(st.pzxid).toBe(c.pzxid);
      expect(st.dataLength).toBe(2);
      // the next write gets the next zxid: mzxid was exactly this write's zxid
      const next = await s.create(p("b"));
      expect(next.stat.czxid).toBe(st.mzxid + 1n);
      expect((await s.getData(p("a"))).stat).toEqual(st);
    });

    it("setData with identical data still bumps the version; version -1 matches any", async () => {
      const { s, p } = await setup(h);
      await s.create(p("a"), buf("same"));
      expect((await s.setData(p("a"), buf("same"))).stat.version).toBe(1);
      expect((await s.setData(p("a"), buf("same"), -1)).stat.version).toBe(2);
      expect((await s.setData(p("a"), buf("same"), 2)).stat.version).toBe(3);
    });

    it("setData with a wrong version fails with BAD_VERSION (also -2) and changes nothing", async () => {
      const { s, p } = await setup(h);
      const { stat } = await s.create(p("a"), buf("1"));
      await expectCode(s.setData(p("a"), buf("2"), 1), "BAD_VERSION");
      await expectCode(s.setData(p("a"), buf("2"), -2), "BAD_VERSION");
      const d = await s.getData(p("a"));
      expect(d.data.toString()).toBe("1");
      expect(d.stat).toEqual(stat);
    });

    it("child create: parent cversion +1, numChildren +1, pzxid = the child's czxid; parent mzxid/version unchanged", async () => {
      const { s, p } = await setup(h);
      const { stat: parent } = await s.create(p("p"), buf("x"));
      const { stat: child } = await s.create(p("p/c"));
      const after = (await s.exists(p("p")))!;
      expect(after.cversion).toBe(1);
      expect(after.numChildren).toBe(1);
      expect(after.pzxid).toBe(child.czxid);
      expect(after.mzxid).toBe(parent.mzxid);
      expect(after.version).toBe(0);
      expect(after.mtime).toBe(parent.mtime);
    });

    it("child delete: parent cversion +1 more, numChildren -1, pzxid = the delete's zxid", async () => {
      const { s, p } = await setup(h);
      await s.create(p("p"));
      await s.create(p("p/c"));
      await s.delete(p("p/c"));
      const marker = await s.create(p("marker"));
      const after = (await s.exists(p("p")))!;
      expect(after.cversion).toBe(2);
      expect(after.numChildren).toBe(0);
      expect(after.pzxid).toBe(marker.stat.czxid - 1n);
    });

    it("grandchildren and a child's data changes do not touch the parent's cversion or pzxid", async () => {
      const { s, p } = await setup(h);
      await s.create(p("p"));
      await s.create(p("p/c"));
      const before = (await s.exists(p("p")))!;
      await s.create(p("p/c/g"));
      await s.setData(p("p/c"), buf("new"));
      await s.delete(p("p/c/g"));
      expect(await s.exists(p("p"))).toEqual(before);
    });

    it("setACL: aversion +1; mzxid, mtime and version unchanged; wrong aversion is BAD_VERSION", async () => {
      const { s, p } = await setup(h);
      const { stat } = await s.create(p("a"), buf("x"));
      const acl = [{ perms: 31, id: { scheme: "world", id: "anyone" } }];
      const { stat: st } = await s.setACL(p("a"), acl, 0);
      expect(st.aversion).toBe(1);
      expect(st.mzxid).toBe(stat.mzxid);
      expect(st.mtime).toBe(stat.mtime);
      expect(st.version).toBe(0);
      await expectCode(s.setACL(p("a"), acl, 0), "BAD_VERSION");
      expect((await s.setACL(p("a"), acl, -1)).stat.aversion).toBe(2);
      expect((await s.getACL(p("a"))).stat.aversion).toBe(2);
    });

    it("getChildren, getData, exists and getACL report the same Stat", async () => {
      const { s, p } = await setup(h);
      await s.create(p("a"), buf("x"));
      await s.create(p("a/b"));
      const st = (await s.exists(p("a")))!;
      expect((await s.getData(p("a"))).stat).toEqual(st);
      expect((await s.getChildren(p("a"))).stat).toEqual(st);
      expect((await s.getACL(p("a"))).stat).toEqual(st);
    });

    it("a failed write consumes a zxid: the next successful write is +2", async () => {
      const { s, p } = await setup(h);
      const a = await s.create(p("a"), buf("1"));
      await expectCode(s.create(p("a")), "NODE_EXISTS");
      const b = await s.create(p("b"));
      expect(b.stat.czxid).toBe(a.stat.czxid + 2n);
      await expectCode(s.setData(p("a"), buf("2"), 9), "BAD_VERSION");
      const { stat: st } = await s.setData(p("a"), buf("3"));
      expect(st.mzxid).toBe(b.stat.czxid + 2n);
    });

    it("reads, exists, sync and watch registration consume no zxid", async () => {
      const { s, base, p } = await setup(h);
      const a = await s.create(p("a"), buf("1"));
      await s.getData(p("a"));
      await s.exists(p("none"), () => {});
      await s.getChildren(base);
      await s.getACL(p("a"));
      await s.sync(p("a"));
      await s.addWatch(p("w"), "PERSISTENT", () => {});
      const b = await s.create(p("b"));
      expect(b.stat.czxid).toBe(a.stat.czxid + 1n);
    });

    it("an ephemeral's removal at session close updates the parent's cversion, numChildren and pzxid", async () => {
      const { s, p, connect } = await setup(h);
      await s.create(p("p"));
      const other = await connect();
      const e = await other.create(p("p/e"), null, { mode: "EPHEMERAL" });
      await other.close();
      await s.sync(p("p"));
      const st = (await s.exists(p("p")))!;
      expect(st.cversion).toBe(2);
      expect(st.numChildren).toBe(0);
      expect(st.pzxid).toBeGreaterThan(e.stat.czxid);
    });
  });
}
