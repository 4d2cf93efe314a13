/**
 * Contract cases: multi — result types, one zxid per transaction, all-or-nothing failure with
 * per-op codes, and watches only on success (§2.4 and checklist items 41–44 of the reference).
 */
import { describe, expect, it } from "vitest";
import { CoordinatorError } from "../errors.ts";
import { buf, expectCode, fence, recorder, setup, type ContractHarness } from "./harness.ts";

export function multiCases(h: ContractHarness): void {
  describe("multi", () => {
    it("applies sub-ops in order as one transaction: result types and one shared zxid", async () => {
      const { s, p } = await setup(h);
      const { results: res } = await s.multi([
        { type: "create", path: p("m"), data: buf("a") },
        { type: "create", path: p("m/a") },
        { type: "setData", path: p("m"), data: buf("b"), version: 0 },
        { type: "check", path: p("m"), version: 1 },
        { type: "delete", path: p("m/a") },
      ]);
      expect(res.map((r) => r.type)).toEqual(["create", "create", "setData", "check", "delete"]);
      expect(res[0]).toMatchObject({ type: "create", path: p("m") });
      expect(res[1]).toMatchObject({ type: "create", path: p("m/a") });
      const set = res[2];
      if (set?.type !== "setData") throw new Error("expected a setData result");
      const st = (await s.exists(p("m")))!;
      // each sub-op's Stat is the node as that sub-op left it: /m/a still existed then
      expect(set.stat).toEqual({ ...st, numChildren: 1, cversion: 1 });
      expect(st.version).toBe(1);
      expect(st.czxid).toBe(st.mzxid); // created and modified in the same transaction
      expect(st.ctime).toBe(st.mtime);
      expect(st.pzxid).toBe(st.czxid); // child created and deleted in it too
      expect(st.cversion).toBe(2);
      expect(st.numChildren).toBe(0);
      expect(await s.exists(p("m/a"))).toBeNull();
      expect((await s.getData(p("m"))).data.toString()).toBe("b");
    });

    it("a plain create reports only its path; container and TTL creates also a Stat", async () => {
      const { s, p } = await setup(h);
      const ops = [
        { type: "create", path: p("plain") },
        { type: "create", path: p("con"), options: { mode: "CONTAINER" } },
      ] as const;
      const { results: res } = await s.multi(
        h.capabilities.ttl
          ? [...ops, { type: "create", path: p("ttl"), options: { mode: "PERSISTENT_WITH_TTL", ttl: 3_600_000 } }]
          : ops,
      );
      const [plain, con, ttl] = res;
      expect(plain).toEqual({ type: "create", path: p("plain") });
      if (con?.type !== "create" || !con.stat) throw new Error("container create must report a Stat");
      expect(con.path).toBe(p("con"));
      expect(con.stat.ephemeralOwner).toBe(0n);
      expect(con.stat.czxid).toBe((await s.exists(p("plain")))!.czxid);
      if (h.capabilities.ttl) {
        if (ttl?.type !== "create" || !ttl.stat) throw new Error("TTL create must report a Stat");
        expect(ttl.stat.ephemeralOwner).toBe(0n);
      }
    });

    it("failure: nothing applied; opCodes are OK before, the error at, RUNTIME_INCONSISTENCY after the failing op", async () => {
      const { s, p } = await setup(h);
      await s.create(p("m"));
      const err = await expectCode(
        s.multi([
          { type: "create", path: p("m2") },
          { type: "check", path: p("m"), version: 5 },
          { type: "create", path: p("m3") },
        ]),
        "BAD_VERSION",
      );
      expect(err.opCodes).toEqual(["OK", "BAD_VERSION", "RUNTIME_INCONSISTENCY"]);
      expect(await s.exists(p("m2"))).toBeNull();
      expect(await s.exists(p("m3"))).toBeNull();
    });

    it("failure codes of each sub-op kind: NO_NODE, NODE_EXISTS, NOT_EMPTY, BAD_VERSION", async () => {
      const { s, p } = await setup(h);
      await s.create(p("a"), buf("1"));
      await s.create(p("a/c"));
      const cases = [
        { op: { type: "delete", path: p("none") }, code: "NO_NODE" },
        { op: { type: "create", path: p("a") }, code: "NODE_EXISTS" },
        { op: { type: "create", path: p("none/x") }, code: "NO_NODE" },
        { op: { type: "delete", path: p("a") }, code: "NOT_EMPTY" },
        { op: { type: "setData", path: p("a"), data: buf("2"), version: 3 }, code: "BAD_VERSION" },
        { op: { type: "check", path: p("none"), version: 0 }, code: "NO_NODE" },
      ] as const;
      for (const c of cases) {
        const err = await expectCode(s.multi([{ type: "setData", path: p("a"), data: buf("x") }, c.op]), c.code);
        expect(err.opCodes).toEqual(["OK", c.code]);
      }
      const d = await s.getData(p("a"));
      expect(d.data.toString()).toBe("1");
      expect(d.stat.version).toBe(0);
    });

    it("a failed multi consumes one zxid; a successful one exactly one", async () => {
      const { s, p } = await setup(h);
      const a = await s.create(p("a"));
      await expectCode(
        s.multi([
          { type: "create", path: p("b") },
          { type: "create", path: p("a") },
        ]),
        "NODE_EXISTS",
      );
      const { results: res } = await s.multi([
        { type: "create", path: p("c") },
        { type: "create", path: p("d") },
      ]);
      expect(res).toHaveLength(2);
      const c = (await s.exists(p("c")))!;
      expect(c.czxid).toBe(a.stat.czxid + 2n);
      expect((await s.exists(p("d")))!.czxid).toBe(c.czxid);
      const e = await s.create(p("e"));
      expect(e.stat.czxid).toBe(c.czxid + 1n);
    });

    it("an empty multi succeeds with no results", async () => {
      const { s } = await setup(h);
      expect((await s.multi([])).results).toEqual([]);
    });

    it("create and delete of the same child in one multi: absent afterwards, parent cversion +2", async () => {
      const { s, p } = await setup(h);
      await s.create(p("p"));
      await s.multi([
        { type: "create", path: p("p/x") },
        { type: "delete", path: p("p/x") },
      ]);
      expect(await s.exists(p("p/x"))).toBeNull();
      expect((await s.exists(p("p")))!.cversion).toBe(2);
    });

    it("watches fire for each sub-op of a successful multi, and not at all for a failed one", async () => {
      const { s, base, p } = await setup(h);
      await s.create(p("a"));
      const r = recorder();
      await s.exists(p("b"), r.watcher);
      await s.getData(p("a"), r.watcher);
      await expectCode(
        s.multi([
          { type: "create", path: p("b") },
          { type: "setData", path: p("a"), data: buf("x") },
          { type: "check", path: p("a"), version: 9 },
        ]),
        "BAD_VERSION",
      );
      await fence(s, base);
      expect(r.events).toEqual([]);
      await s.multi([
        { type: "create", path: p("b") },
        { type: "setData", path: p("a"), data: buf("x") },
      ]);
      const ev = await r.waitFor(2);
      expect(ev).toEqual([
        { type: "NodeCreated", path: p("b") },
        { type: "NodeDataChanged", path: p("a") },
      ]);
    });

    it("ephemeral creates in a multi belong to the session; NO_CHILDREN_FOR_EPHEMERALS applies inside too", async () => {
      const { s, p } = await setup(h);
      const err = await expectCode(
        s.multi([
          { type: "create", path: p("e"), options: { mode: "EPHEMERAL" } },
          { type: "create", path: p("e/c") },
        ]),
        "NO_CHILDREN_FOR_EPHEMERALS",
      );
      expect(CoordinatorError.is(err)).toBe(true);
      expect(err.opCodes).toEqual(["OK", "NO_CHILDREN_FOR_EPHEMERALS"]);
      await s.multi([{ type: "create", path: p("e"), options: { mode: "EPHEMERAL" } }]);
      expect((await s.exists(p("e")))!.ephemeralOwner).toBe(s.sessionId);
    });
  });
}
