/**
 * Contract cases: sessions — ids, close and expiry with ephemeral cleanup and the events other
 * sessions see, SESSION_EXPIRED afterwards, FIFO order of un-awaited requests, and the pristine
 * root of a fresh backend (§4 and checklist items 18, 26–27 of the protocol reference).
 */
import { describe, expect, it } from "vitest";
import type { SessionState } from "../types.ts";
import { buf, expectCode, recorder, setup, until, type ContractHarness } from "./harness.ts";

export function sessionCases(h: ContractHarness): void {
  describe("sessions", () => {
    it("each session has its own non-zero id and a positive timeout, and starts connected", async () => {
      const { s, connect } = await setup(h);
      const other = await connect();
      expect(s.sessionId).not.toBe(0n);
      expect(other.sessionId).not.toBe(s.sessionId);
      expect(s.timeoutMs).toBeGreaterThan(0);
      expect(s.state).toBe("connected");
    });

    it("the requested timeout is clamped to [2, 20] ticks", async () => {
      const { connect } = await setup(h);
      const tick = h.capabilities.tickMs;
      expect((await connect({ timeoutMs: 1 })).timeoutMs).toBe(2 * tick);
      expect((await connect({ timeoutMs: 1_000_000_000 })).timeoutMs).toBe(20 * tick);
      expect((await connect({ timeoutMs: 5 * tick })).timeoutMs).toBe(5 * tick);
    });

    it("the largest timer-safe timeout (2**31 - 1 ms) connects and is clamped to 20 ticks", async () => {
      const t = await setup(h);
      const s = await t.connect({ timeoutMs: 2 ** 31 - 1 });
      expect(s.state).toBe("connected");
      expect(s.timeoutMs).toBe(20 * h.capabilities.tickMs);
    });

    it("close: ephemerals are deleted, other sessions' watchers get NodeDeleted and NodeChildrenChanged", async () => {
      const { s, p, connect } = await setup(h);
      await s.create(p("p"));
      const doomed = await connect();
      await doomed.create(p("p/e"), buf("x"), { mode: "EPHEMERAL" });
      await doomed.create(p("p/q-"), null, { mode: "EPHEMERAL_SEQUENTIAL" });
      await s.sync(p("p"));
      const node = recorder();
      const parent = recorder();
      expect(await s.exists(p("p/e"), node.watcher)).not.toBeNull();
      await s.getChildren(p("p"), parent.watcher);
      const states: SessionState[] = [];
      doomed.onStateChange((st) => states.push(st));
      await doomed.close();
      expect(await node.waitFor(1)).toEqual([{ type: "NodeDeleted", path: p("p/e") }]);
      expect(await parent.waitFor(1)).toEqual([{ type: "NodeChildrenChanged", path: p("p") }]);
      await s.sync(p("p"));
      expect((await s.getChildren(p("p"))).children).toEqual([]);
      expect(doomed.state).toBe("closed");
      expect(states).toContain("closed");
    });

    it("every operation after close fails with SESSION_EXPIRED", async () => {
      const { s, p, connect } = await setup(h);
      await s.create(p("a"));
      const c = await connect();
      await c.close();
      await expectCode(c.getData(p("a")), "SESSION_EXPIRED");
      await expectCode(c.create(p("b")), "SESSION_EXPIRED");
      await expectCode(c.setData(p("a"), buf("x")), "SESSION_EXPIRED");
      await expectCode(c.exists(p("a")), "SESSION_EXPIRED");
      await expectCode(c.multi([{ type: "check", path: p("a"), version: 0 }]), "SESSION_EXPIRED");
    });

    it.skipIf(!h.expireSession)(
      "expiry: ephemerals deleted, watchers notified, 'expired' reported, then SESSION_EXPIRED",
      async () => {
        const { s, p, connect } = await setup(h);
        await s.create(p("p"));
        const doomed = await connect({ timeoutMs: h.capabilities.shortSessionTimeoutMs });
        await doomed.create(p("p/e"), buf("x"), { mode: "EPHEMERAL" });
        await s.sync(p("p"));
        const node = recorder();
        const parent = recorder();
        expect(await s.exists(p("p/e"), node.watcher)).not.toBeNull();
        await s.getChildren(p("p"), parent.watcher);
        const states: SessionState[] = [];
        doomed.onStateChange((st) => states.push(st));
        await h.expireSession!(doomed);
        expect(await node.waitFor(1)).toEqual([{ type: "NodeDeleted", path: p("p/e") }]);
        expect(await parent.waitFor(1)).toEqual([{ type: "NodeChildrenChanged", path: p("p") }]);
        await until("the session to report expired", () => states.includes("expired"));
        expect(doomed.state).toBe("expired");
        await expectCode(doomed.getData(p("p")), "SESSION_EXPIRED");
        // the backend hands out a new session afterwards
        const again = await connect();
        expect(again.sessionId).not.toBe(doomed.sessionId);
        expect(await again.exists(p("p/e"))).toBeNull();
      },
    );

    it("FIFO: un-awaited requests of one session apply and answer in issue order", async () => {
      const { s, p } = await setup(h);
      const created = s.create(p("f"), buf("0"));
      const sets = [1, 2, 3, 4, 5].map((i) => s.setData(p("f"), buf(String(i)), i - 1));
      const read = s.getData(p("f"));
      const child = s.create(p("f/c"));
      const del = s.delete(p("f/c"));
      const gone = s.exists(p("f/c"));
      const order: string[] = [];
      const track = <T>(name: string, pr: Promise<T>) => pr.then((v) => (order.push(name), v));
      const [c, ...rest] = await Promise.all([
        track("create", created),
        ...sets.map((x, i) => track(`set${i + 1}`, x)),
      ]);
      expect(c.path).toBe(p("f"));
      expect(rest.map((r) => r.stat.version)).toEqual([1, 2, 3, 4, 5]);
      expect(order).toEqual(["create", "set1", "set2", "set3", "set4", "set5"]);
      const d = await read;
      expect(d.data.toString()).toBe("5");
      expect(d.stat.version).toBe(5);
      await child;
      await del;
      expect(await gone).toBeNull();
    });

    it("FIFO: a failing request in the middle does not disturb the order of the others", async () => {
      const { s, p } = await setup(h);
      const a = s.create(p("a"));
      const dup = s.create(p("a")).then(
        () => "ok",
        (e: unknown) => (e as { code?: string }).code,
      );
      const b = s.create(p("b"));
      const [ra, rdup, rb] = await Promise.all([a, dup, b]);
      expect(rdup).toBe("NODE_EXISTS");
      expect(rb.stat.czxid).toBe(ra.stat.czxid + 2n);
    });

    it("a session reads its own writes immediately; another session after sync", async () => {
      const { s, p, connect } = await setup(h);
      const other = await connect();
      await s.create(p("a"), buf("1"));
      expect((await s.getData(p("a"))).data.toString()).toBe("1");
      await s.setData(p("a"), buf("2"));
      await other.sync(p("a"));
      expect((await other.getData(p("a"))).data.toString()).toBe("2");
    });

    it.skipIf(!h.freshBackend)(
      "a fresh backend: the root has only /zookeeper; root cversion -1, /zookeeper cversion -2",
      async () => {
        const fresh = await h.freshBackend!();
        try {
          const s = await fresh.backend.connect();
          try {
            const root = await s.getChildren("/");
            expect(root.children).toEqual(["zookeeper"]);
            expect(root.stat.numChildren).toBe(1);
            expect(root.stat.cversion).toBe(-1);
            const zk = await s.getChildren("/zookeeper");
            expect([...zk.children].sort()).toEqual(["config", "quota"]);
            expect(zk.stat.cversion).toBe(-2);
            expect(zk.stat.czxid).toBe(0n);
            expect(await s.getAllChildrenNumber("/")).toBe(3);
            // the built-ins are not counted: the first sequential child of the root is 0
            expect((await s.create("/n", null, { mode: "PERSISTENT_SEQUENTIAL" })).path).toBe("/n0000000000");
          } finally {
            await s.close();
          }
        } finally {
          await fresh.dispose();
        }
      },
    );
  });
}
