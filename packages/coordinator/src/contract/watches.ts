/**
 * Contract cases: one-shot data/exist/child watches: what sets them, what fires them, once,
 * in which order, for which session (§3.1–3.2 and checklist items 29–35 of the reference).
 * "No event" is proven with a fence (a later change seen by another watcher), never a sleep.
 */
import { describe, expect, it } from "vitest";
import { buf, expectCode, fence, recorder, setup, type ContractHarness } from "./harness.ts";

export function watchCases(h: ContractHarness): void {
  describe("one-shot watches", () => {
    it("exists on a missing node sets a watch: a later create fires NodeCreated", async () => {
      const { s, p } = await setup(h);
      const r = recorder();
      expect(await s.exists(p("a"), r.watcher)).toBeNull();
      await s.create(p("a"));
      expect(await r.waitFor(1)).toEqual([{ type: "NodeCreated", path: p("a") }]);
    });

    it("getData watch + two setData → exactly one NodeDataChanged (one-shot)", async () => {
      const { s, base, p } = await setup(h);
      await s.create(p("a"), buf("0"));
      const r = recorder();
      await s.getData(p("a"), r.watcher);
      await s.setData(p("a"), buf("1"));
      await s.setData(p("a"), buf("2"));
      await fence(s, base);
      expect(r.events).toEqual([{ type: "NodeDataChanged", path: p("a") }]);
    });

    it("getData with a watch on a missing node fails NO_NODE and sets no watch", async () => {
      const { s, base, p } = await setup(h);
      const r = recorder();
      await expectCode(s.getData(p("a"), r.watcher), "NO_NODE");
      await expectCode(s.getChildren(p("a"), r.watcher), "NO_NODE");
      await s.create(p("a"));
      await s.create(p("a/b"));
      await fence(s, base);
      expect(r.events).toEqual([]);
    });

    it("getChildren watch fires NodeChildrenChanged(parent) on a child create, once", async () => {
      const { s, base, p } = await setup(h);
      await s.create(p("p"));
      const r = recorder();
      await s.getChildren(p("p"), r.watcher);
      await s.create(p("p/c"));
      await s.create(p("p/d"));
      await fence(s, base);
      expect(r.events).toEqual([{ type: "NodeChildrenChanged", path: p("p") }]);
    });

    it("getChildren watch fires on a child delete, not on a child's data change", async () => {
      const { s, base, p } = await setup(h);
      await s.create(p("p"));
      await s.create(p("p/c"));
      const r = recorder();
      await s.getChildren(p("p"), r.watcher);
      await s.setData(p("p/c"), buf("x"));
      await fence(s, base);
      expect(r.events).toEqual([]);
      await s.delete(p("p/c"));
      expect(await r.waitFor(1)).toEqual([{ type: "NodeChildrenChanged", path: p("p") }]);
    });

    it("exists watch on an existing node fires NodeDataChanged on setData and NodeDeleted on delete", async () => {
      const { s, p } = await setup(h);
      await s.create(p("a"));
      const r1 = recorder();
      await s.exists(p("a"), r1.watcher);
      await s.setData(p("a"), buf("x"));
      expect(await r1.waitFor(1)).toEqual([{ type: "NodeDataChanged", path: p("a") }]);
      const r2 = recorder();
      await s.exists(p("a"), r2.watcher);
      await s.delete(p("a"));
      expect(await r2.waitFor(1)).toEqual([{ type: "NodeDeleted", path: p("a") }]);
    });

    it("data, child and exist watches of one watcher on a deleted node give it one NodeDeleted", async () => {
      const { s, base, p } = await setup(h);
      await s.create(p("p"));
      await s.create(p("p/c"));
      const r = recorder();
      const parent = recorder();
      await s.getData(p("p/c"), r.watcher);
      await s.getChildren(p("p/c"), r.watcher);
      await s.exists(p("p/c"), r.watcher);
      await s.getChildren(p("p"), parent.watcher);
      await s.delete(p("p/c"));
      await parent.waitFor(1);
      await fence(s, base);
      expect(r.events).toEqual([{ type: "NodeDeleted", path: p("p/c") }]);
      expect(parent.events).toEqual([{ type: "NodeChildrenChanged", path: p("p") }]);
    });

    it("distinct watchers on one path each get the event", async () => {
      const { s, p } = await setup(h);
      await s.create(p("a"));
      const r1 = recorder();
      const r2 = recorder();
      await s.getData(p("a"), r1.watcher);
      await s.getData(p("a"), r2.watcher);
      await s.setData(p("a"), buf("x"));
      expect(await r1.waitFor(1)).toEqual([{ type: "NodeDataChanged", path: p("a") }]);
      expect(await r2.waitFor(1)).toEqual([{ type: "NodeDataChanged", path: p("a") }]);
    });

    it("create fires NodeCreated(node) before NodeChildrenChanged(parent); delete fires NodeDeleted first", async () => {
      const { s, p } = await setup(h);
      await s.create(p("p"));
      const r = recorder();
      await s.exists(p("p/c"), r.watcher);
      await s.getChildren(p("p"), r.watcher);
      await s.create(p("p/c"));
      expect(await r.waitFor(2)).toEqual([
        { type: "NodeCreated", path: p("p/c") },
        { type: "NodeChildrenChanged", path: p("p") },
      ]);
      const d = recorder();
      await s.exists(p("p/c"), d.watcher);
      await s.getChildren(p("p"), d.watcher);
      await s.delete(p("p/c"));
      expect(await d.waitFor(2)).toEqual([
        { type: "NodeDeleted", path: p("p/c") },
        { type: "NodeChildrenChanged", path: p("p") },
      ]);
    });

    it("setACL fires no watch", async () => {
      const { s, base, p } = await setup(h);
      await s.create(p("a"));
      const r = recorder();
      await s.getData(p("a"), r.watcher);
      await s.setACL(p("a"), [{ perms: 31, id: { scheme: "world", id: "anyone" } }]);
      await fence(s, base);
      expect(r.events).toEqual([]);
    });

    it("a session's own write notifies its watcher before the write's reply arrives", async () => {
      const { s, p } = await setup(h);
      await s.create(p("w"));
      const r = recorder();
      await s.getData(p("w"), r.watcher);
      await s.setData(p("w"), buf("x"));
      expect(r.events).toEqual([{ type: "NodeDataChanged", path: p("w") }]);
    });

    it("a watch set by an un-awaited read or addWatch is in place for the write issued right after it", async () => {
      // Un-awaited writes ahead of the read hold its reply back until they commit, so the reply
      // that sets the watch and the notification of the write behind it often leave the server
      // together, in one TCP chunk: the watch must be registered as that reply is read. One
      // round loses the event only some of the time on a client that registers later; many
      // rounds make that loss certain.
      const t = await setup(h);
      const { s } = t;
      await s.create(t.p("w"));
      await s.create(t.p("o"));
      const writesAhead = () => {
        for (let i = 0; i < 3; i++) void s.setData(t.p("o"), buf(String(i)));
      };
      for (let round = 0; round < 30; round++) {
        const data = recorder();
        writesAhead();
        const read = s.getData(t.p("w"), data.watcher);
        await s.setData(t.p("w"), buf(String(round)));
        await read;
        expect(data.events, `getData, round ${String(round)}`).toEqual([{ type: "NodeDataChanged", path: t.p("w") }]);

        const exist = recorder();
        writesAhead();
        const probe = s.exists(t.p(`e${String(round)}`), exist.watcher);
        await s.create(t.p(`e${String(round)}`));
        expect(await probe).toBeNull();
        expect(exist.events, `exists, round ${String(round)}`).toEqual([
          { type: "NodeCreated", path: t.p(`e${String(round)}`) },
        ]);

        const child = recorder();
        writesAhead();
        const list = s.getChildren(t.p("w"), child.watcher);
        await s.create(t.p(`w/c${String(round)}`));
        await list;
        expect(child.events, `getChildren, round ${String(round)}`).toEqual([
          { type: "NodeChildrenChanged", path: t.p("w") },
        ]);

        const persistent = recorder();
        writesAhead();
        const added = s.addWatch(t.p(`a${String(round)}`), "PERSISTENT", persistent.watcher);
        await s.create(t.p(`a${String(round)}`));
        await added;
        expect(persistent.events, `addWatch, round ${String(round)}`).toEqual([
          { type: "NodeCreated", path: t.p(`a${String(round)}`) },
        ]);
      }
    });

    it("another session's watcher is notified of this session's writes", async () => {
      const { s, p, connect } = await setup(h);
      const other = await connect();
      await s.create(p("a"), buf("0"));
      await other.sync(p("a"));
      const r = recorder();
      await other.getData(p("a"), r.watcher);
      await s.setData(p("a"), buf("1"));
      expect(await r.waitFor(1)).toEqual([{ type: "NodeDataChanged", path: p("a") }]);
      // the event comes before the new data can be read
      expect((await other.getData(p("a"))).data.toString()).toBe("1");
    });

    it("watches belong to their session: a change notifies only sessions that watched", async () => {
      const { s, p, connect } = await setup(h);
      const other = await connect();
      await s.create(p("a"));
      const mine = recorder();
      await s.getData(p("a"), mine.watcher);
      await other.setData(p("a"), buf("x"));
      expect(await mine.waitFor(1)).toHaveLength(1);
      const r = recorder();
      await other.exists(p("none"), r.watcher);
      await s.create(p("none"));
      expect(await r.waitFor(1)).toEqual([{ type: "NodeCreated", path: p("none") }]);
    });
  });
}
