/** Unit tests for the watch registry: one notification per session, one-shot vs persistent. */
import { describe, expect, it } from "vitest";
import type { WatchEvent } from "@conifer/coordinator";
import { SessionWatches, WatchRegistry } from "./watches.ts";

describe("WatchRegistry", () => {
  it("sends one notification per session and fans out to distinct watchers once", () => {
    const reg = new WatchRegistry();
    const s = new SessionWatches();
    const w = (_e: WatchEvent) => {};
    const w2 = (_e: WatchEvent) => {};
    reg.add(s, "data", "/p/c", w);
    reg.add(s, "child", "/p/c", w);
    reg.add(s, "child", "/p/c", w2);
    const n = reg.trigger("NodeDeleted", "/p/c");
    expect(n).toHaveLength(1);
    expect(n[0]?.watchers).toEqual([w, w2]);
    expect(reg.count).toBe(0);
    expect(reg.trigger("NodeDeleted", "/p/c")).toHaveLength(0);
  });

  it("keeps persistent watches; recursive ones skip NodeChildrenChanged", () => {
    const reg = new WatchRegistry();
    const s = new SessionWatches();
    const p = () => {};
    const r = () => {};
    reg.add(s, "persistent", "/w", p);
    reg.add(s, "recursive", "/r", r);
    expect(reg.trigger("NodeChildrenChanged", "/w")[0]?.watchers).toEqual([p]);
    expect(reg.trigger("NodeDataChanged", "/w")[0]?.watchers).toEqual([p]);
    expect(reg.trigger("NodeDataChanged", "/w/x")).toHaveLength(0);
    expect(reg.trigger("NodeCreated", "/r/a/b")[0]?.watchers).toEqual([r]);
    expect(reg.trigger("NodeChildrenChanged", "/r")).toHaveLength(0);
    expect(reg.count).toBe(2);
  });

  it("removes by type and by watcher", () => {
    const reg = new WatchRegistry();
    const s = new SessionWatches();
    const a = () => {};
    const b = () => {};
    reg.add(s, "data", "/x", a);
    reg.add(s, "child", "/x", b);
    expect(reg.remove(s, "/x", "Children", a)).toBe(false);
    expect(reg.remove(s, "/x", "Children")).toBe(true);
    expect(reg.remove(s, "/x", "Children")).toBe(false);
    expect(reg.remove(s, "/x", "Any")).toBe(true);
    expect(reg.count).toBe(0);
  });
});
