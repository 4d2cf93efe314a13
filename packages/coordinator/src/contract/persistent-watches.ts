/**
 * Contract cases: persistent and persistent-recursive watches (addWatch) and removeWatches
 * (§3.3–3.4 and checklist items 36–39 of the protocol reference). "No event" is proven with a
 * fence (a later change seen by another watcher), never a sleep.
 */
import { describe, expect, it } from "vitest";
import { buf, expectCode, fence, recorder, setup, type ContractHarness } from "./harness.ts";

export function persistentWatchCases(h: ContractHarness): void {
  describe("persistent watches", () => {
    it("PERSISTENT: fires for the node itself, every time, and survives its deletion", async () => {
      const { s, base, p } = await setup(h);
      await s.create(p("w"));
      const r = recorder();
      await s.addWatch(p("w"), "PERSISTENT", r.watcher);
      await s.create(p("w/x"));
      await s.setData(p("w/x"), buf("ignored"));
      await s.setData(p("w"), buf("1"));
      await s.setData(p("w"), buf("2"));
      await s.delete(p("w/x"));
      await s.delete(p("w"));
      await s.create(p("w"));
      await r.waitFor(6);
      await fence(s, base);
      expect(r.events).toEqual([
        { type: "NodeChildrenChanged", path: p("w") },
        { type: "NodeDataChanged", path: p("w") },
        { type: "NodeDataChanged", path: p("w") },
        { type: "NodeChildrenChanged", path: p("w") },
        { type: "NodeDeleted", path: p("w") },
        { type: "NodeCreated", path: p("w") },
      ]);
    });

    it("PERSISTENT_RECURSIVE: created/changed/deleted for the node and all descendants, never NodeChildrenChanged", async () => {
      const { s, base, p } = await setup(h);
      await s.create(p("w"));
      const r = recorder();
      await s.addWatch(p("w"), "PERSISTENT_RECURSIVE", r.watcher);
      await s.create(p("w/r"));
      await s.create(p("w/r/s"));
      await s.setData(p("w/r/s"), buf("x"));
      await s.delete(p("w/r/s"));
      await s.setData(p("w"), buf("y"));
      await r.waitFor(5);
      await fence(s, base);
      expect(r.events).toEqual([
        { type: "NodeCreated", path: p("w/r") },
        { type: "NodeCreated", path: p("w/r/s") },
        { type: "NodeDataChanged", path: p("w/r/s") },
        { type: "NodeDeleted", path: p("w/r/s") },
        { type: "NodeDataChanged", path: p("w") },
      ]);
    });

    it("addWatch on a missing path succeeds; a later create fires NodeCreated", async () => {
      const { s, p } = await setup(h);
      const r = recorder();
      await s.addWatch(p("later"), "PERSISTENT", r.watcher);
      const rr = recorder();
      await s.addWatch(p("later2"), "PERSISTENT_RECURSIVE", rr.watcher);
      await s.create(p("later"));
      await s.create(p("later2"));
      expect(await r.waitFor(1)).toEqual([{ type: "NodeCreated", path: p("later") }]);
      expect(await rr.waitFor(1)).toEqual([{ type: "NodeCreated", path: p("later2") }]);
    });

    it("a recursive watch sees a sequence of changes in order", async () => {
      const { s, p } = await setup(h);
      await s.create(p("w"));
      const r = recorder();
      await s.addWatch(p("w"), "PERSISTENT_RECURSIVE", r.watcher);
      for (let i = 0; i < 10; i++) await s.setData(p("w"), buf(String(i)));
      await s.delete(p("w"));
      const ev = await r.waitFor(11);
      expect(ev.slice(0, 10).every((e) => e.type === "NodeDataChanged")).toBe(true);
      expect(ev[10]).toEqual({ type: "NodeDeleted", path: p("w") });
    });
  });

  describe("removeWatches", () => {
    it("removeWatches(Any) removes a persistent watch; again → NO_WATCHER; no more events", async () => {
      const { s, base, p } = await setup(h);
      await s.create(p("w"));
      const r = recorder();
      await s.addWatch(p("w"), "PERSISTENT", r.watcher);
      await s.removeWatches(p("w"), "Any");
      await expectCode(s.removeWatches(p("w"), "Any"), "NO_WATCHER");
      await s.setData(p("w"), buf("x"));
      await fence(s, base);
      expect(r.events).toEqual([]);
    });

    it("removeWatches with no watch set → NO_WATCHER", async () => {
      const { s, p } = await setup(h);
      await s.create(p("w"));
      await expectCode(s.removeWatches(p("w"), "Any"), "NO_WATCHER");
      await expectCode(s.removeWatches(p("w"), "Data"), "NO_WATCHER");
      await expectCode(s.removeWatches(p("w"), "Children"), "NO_WATCHER");
      await expectCode(s.removeWatches(p("nope"), "Any"), "NO_WATCHER");
    });

    it("removeWatches(Data) drops the data watch; the child watch stays", async () => {
      const { s, base, p } = await setup(h);
      await s.create(p("w"));
      const data = recorder();
      const child = recorder();
      await s.getData(p("w"), data.watcher);
      await s.getChildren(p("w"), child.watcher);
      await s.removeWatches(p("w"), "Data");
      await expectCode(s.removeWatches(p("w"), "Data"), "NO_WATCHER");
      await s.setData(p("w"), buf("x"));
      await s.create(p("w/c"));
      expect(await child.waitFor(1)).toEqual([{ type: "NodeChildrenChanged", path: p("w") }]);
      await fence(s, base);
      expect(data.events).toEqual([]);
    });

    it("removeWatches(Children) drops the child watch; the data watch stays", async () => {
      const { s, base, p } = await setup(h);
      await s.create(p("w"));
      const data = recorder();
      const child = recorder();
      await s.exists(p("w"), data.watcher);
      await s.getChildren(p("w"), child.watcher);
      await s.removeWatches(p("w"), "Children");
      await s.create(p("w/c"));
      await s.setData(p("w"), buf("x"));
      expect(await data.waitFor(1)).toEqual([{ type: "NodeDataChanged", path: p("w") }]);
      await fence(s, base);
      expect(child.events).toEqual([]);
    });

    it("removing one watcher keeps the others on the same path", async () => {
      const { s, base, p } = await setup(h);
      await s.create(p("w"));
      const gone = recorder();
      const kept = recorder();
      await s.getData(p("w"), gone.watcher);
      await s.getData(p("w"), kept.watcher);
      await s.removeWatches(p("w"), "Data", gone.watcher);
      await expectCode(s.removeWatches(p("w"), "Data", gone.watcher), "NO_WATCHER");
      await s.setData(p("w"), buf("x"));
      expect(await kept.waitFor(1)).toEqual([{ type: "NodeDataChanged", path: p("w") }]);
      await fence(s, base);
      expect(gone.events).toEqual([]);
    });

    it("removeWatches of an exist watch on a missing node works; the create then fires nothing", async () => {
      const { s, base, p } = await setup(h);
      const r = recorder();
      await s.exists(p("m"), r.watcher);
      await s.removeWatches(p("m"), "Data");
      await s.create(p("m"));
      await fence(s, base);
      expect(r.events).toEqual([]);
    });
  });
}
