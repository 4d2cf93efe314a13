/**
 * Contract cases: sequential naming (§1.3 and checklist items 12–16, 44 of the protocol
 * reference). The suffix is the parent's child-creation counter, which only successful child
 * creates advance, of any mode.
 */
import { describe, expect, it } from "vitest";
import { expectCode, setup, type ContractHarness } from "./harness.ts";

export function sequentialCases(h: ContractHarness): void {
  describe("sequential nodes", () => {
    it("three sequential creates get n0000000000, n0000000001, n0000000002", async () => {
      const { s, p } = await setup(h);
      await s.create(p("s"));
      const names: string[] = [];
      for (let i = 0; i < 3; i++) names.push((await s.create(p("s/n"), null, { mode: "PERSISTENT_SEQUENTIAL" })).path);
      expect(names).toEqual([p("s/n0000000000"), p("s/n0000000001"), p("s/n0000000002")]);
      expect((await s.exists(p("s/n0000000001")))?.ephemeralOwner).toBe(0n);
    });

    it("every child create counts, whatever its mode", async () => {
      const { s, p } = await setup(h);
      await s.create(p("s"));
      await s.create(p("s/x"));
      expect((await s.create(p("s/n"), null, { mode: "PERSISTENT_SEQUENTIAL" })).path).toBe(p("s/n0000000001"));
      await s.create(p("s/e"), null, { mode: "EPHEMERAL" });
      expect((await s.create(p("s/n"), null, { mode: "EPHEMERAL_SEQUENTIAL" })).path).toBe(p("s/n0000000003"));
    });

    it("the counter ignores deletes: it is not the visible cversion", async () => {
      const { s, p } = await setup(h);
      await s.create(p("s"));
      await s.create(p("s/n"), null, { mode: "PERSISTENT_SEQUENTIAL" }); // n0
      await s.create(p("s/n"), null, { mode: "PERSISTENT_SEQUENTIAL" }); // n1
      await s.create(p("s/x"));
      await s.create(p("s/n"), null, { mode: "PERSISTENT_SEQUENTIAL" }); // n3
      await s.delete(p("s/x"));
      const st = (await s.exists(p("s")))!;
      expect(st.cversion).toBe(5);
      expect((await s.create(p("s/n"), null, { mode: "PERSISTENT_SEQUENTIAL" })).path).toBe(p("s/n0000000004"));
    });

    it("a failed create does not advance the counter", async () => {
      const { s, p } = await setup(h);
      await s.create(p("s"));
      await s.create(p("s/x"));
      await expectCode(s.create(p("s/x")), "NODE_EXISTS");
      await expectCode(s.create(p("s/n"), null, { mode: "PERSISTENT_SEQUENTIAL", acl: [] }), "INVALID_ACL");
      expect((await s.create(p("s/n"), null, { mode: "PERSISTENT_SEQUENTIAL" })).path).toBe(p("s/n0000000001"));
    });

    it('a sequential create of "<parent>/" yields "<parent>/0000000000"', async () => {
      const { s, p } = await setup(h);
      await s.create(p("s"));
      expect((await s.create(`${p("s")}/`, null, { mode: "PERSISTENT_SEQUENTIAL" })).path).toBe(p("s/0000000000"));
      expect((await s.getChildren(p("s"))).children).toEqual(["0000000000"]);
    });

    it('a sequential create of "<parent>/." or "<parent>/.." is valid: the suffix makes the name', async () => {
      const t = await setup(h);
      const { s } = t;
      await s.create(t.p("s"));
      expect((await s.create(t.p("s/."), null, { mode: "PERSISTENT_SEQUENTIAL" })).path).toBe(t.p("s/.0000000000"));
      expect((await s.create(t.p("s/.."), null, { mode: "EPHEMERAL_SEQUENTIAL" })).path).toBe(t.p("s/..0000000001"));
      const [dot] = (await s.multi([{ type: "create", path: t.p("s/."), options: { mode: "PERSISTENT_SEQUENTIAL" } }]))
        .results;
      expect(dot).toEqual(expect.objectContaining({ type: "create", path: t.p("s/.0000000002") }));
      expect((await s.getChildren(t.p("s"))).children.sort()).toEqual(["..0000000001", ".0000000000", ".0000000002"]);
      // not sequential, "." and ".." stay relative segments
      await expectCode(s.create(t.p("s/.")), "BAD_ARGUMENTS");
      await expectCode(s.create(t.p("s/.."), null, { mode: "EPHEMERAL" }), "BAD_ARGUMENTS");
    });

    it("ephemeral sequential nodes belong to the session and vanish when it closes", async () => {
      const { s, p, connect } = await setup(h);
      await s.create(p("s"));
      const other = await connect();
      const r = await other.create(p("s/lock-"), null, { mode: "EPHEMERAL_SEQUENTIAL" });
      expect(r.path).toBe(p("s/lock-0000000000"));
      expect(r.stat.ephemeralOwner).toBe(other.sessionId);
      await other.close();
      await s.sync(p("s"));
      expect((await s.getChildren(p("s"))).children).toEqual([]);
      // the counter survived the deletion
      expect((await s.create(p("s/lock-"), null, { mode: "EPHEMERAL_SEQUENTIAL" })).path).toBe(p("s/lock-0000000001"));
    });

    it("counters are per parent", async () => {
      const { s, p } = await setup(h);
      await s.create(p("a"));
      await s.create(p("b"));
      await s.create(p("a/n"), null, { mode: "PERSISTENT_SEQUENTIAL" });
      await s.create(p("a/n"), null, { mode: "PERSISTENT_SEQUENTIAL" });
      expect((await s.create(p("b/n"), null, { mode: "PERSISTENT_SEQUENTIAL" })).path).toBe(p("b/n0000000000"));
    });

    it("sequential creates inside one multi get consecutive numbers", async () => {
      const { s, p } = await setup(h);
      await s.create(p("s"));
      await s.create(p("s/x"));
      const { results: res } = await s.multi([
        { type: "create", path: p("s/q-"), options: { mode: "PERSISTENT_SEQUENTIAL" } },
        { type: "create", path: p("s/q-"), options: { mode: "EPHEMERAL_SEQUENTIAL" } },
      ]);
      expect(res.map((r) => (r.type === "create" ? r.path : r.type))).toEqual([
        p("s/q-0000000001"),
        p("s/q-0000000002"),
      ]);
    });

    it("a failed multi does not advance the counter", async () => {
      const { s, p } = await setup(h);
      await s.create(p("s"));
      await expectCode(
        s.multi([
          { type: "create", path: p("s/q-"), options: { mode: "PERSISTENT_SEQUENTIAL" } },
          { type: "check", path: p("s"), version: 42 },
        ]),
        "BAD_VERSION",
      );
      expect((await s.create(p("s/q-"), null, { mode: "PERSISTENT_SEQUENTIAL" })).path).toBe(p("s/q-0000000000"));
    });
  });
}
