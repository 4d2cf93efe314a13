/** Unit tests for the watch registry: one notification per session, one-shot vs persistent. */
import { describe, expect, it } from "vitest";
import { OPEN_ACL_UNSAFE } from "@conifer/coordinator";
import type { WatchEvent } from "@conifer/coordinator";
import { SessionWatches, WatchRegistry } from "./watches.ts";

describe("WatchRegistry", () => {
  it("sends one notification per session and fans out to distinct watchers once", () => {
    const reg = new WatchRegistry();
    const s = new SessionWatches(() => true);
    const w: (e: WatchEvent) => void = () => {};
    const w2: (e: WatchEvent) => void = () => {};
    reg.add(s, "data", "/p/c", w);
    reg.add(s, "child", "/p/c", w);
    reg.add(s, "child", "/p/c", w2);
    const n = reg.trigger("NodeDeleted", "/p/c", OPEN_ACL_UNSAFE);
    expect(n).toHaveLength(1);
    expect(n[0]?.watchers).toEqual([w, w2]);
    expect(reg.count).toBe(0);
    expect(reg.trigger("NodeDeleted", "/p/c", OPEN_ACL_UNSAFE)).toHaveLength(0);
  });

  it("keeps persistent watches; recursive ones skip NodeChildrenChanged", () => {
    const reg = new WatchRegistry();
    const s = new SessionWatches(() => true);
    const p = () => {};
    const r = () => {};
    reg.add(s, "persistent", "/w", p);
    reg.add(s, "recursive", "/r", r);
    expect(reg.trigger("NodeChildrenChanged", "/w", OPEN_ACL_UNSAFE)[0]?.watchers).toEqual([p]);
    expect(reg.trigger("NodeDataChanged", "/w", OPEN_ACL_UNSAFE)[0]?.watchers).toEqual([p]);
    expect(reg.trigger("NodeDataChanged", "/w/x", OPEN_ACL_UNSAFE)).toHaveLength(0);
    expect(reg.trigger("NodeCreated", "/r/a/b", OPEN_ACL_UNSAFE)[0]?.watchers).toEqual([r]);
    expect(reg.trigger("NodeChildrenChanged", "/r", OPEN_ACL_UNSAFE)).toHaveLength(0);
    expect(reg.count).toBe(2);
  });

  it("tells a session nothing about a node it may not read, but consumes its one-shot watches", () => {
    const reg = new WatchRegistry();
    const blind = new SessionWatches(() => false);
    const sees = new SessionWatches(() => true);
    const w = () => {};
    reg.add(blind, "data", "/x", w);
    reg.add(blind, "persistent", "/x", w);
    reg.add(sees, "data", "/x", w);
    const n = reg.trigger("NodeDataChanged", "/x", OPEN_ACL_UNSAFE);
    expect(n.map((x) => x.owner)).toEqual([sees]);
    expect(reg.count).toBe(1);
  });

  it("removes by type and by watcher", () => {
    const reg = new WatchRegistry();
    const s = new SessionWatches(() => true);
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
