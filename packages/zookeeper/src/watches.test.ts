/** Unit tests for the client-side watch fan-out (which local watchers one server event reaches). */
import type { WatchEvent } from "@conifer/coordinator";
import { describe, expect, it } from "vitest";
import { WatchRegistry } from "./watches.ts";

describe("WatchRegistry", () => {
  it("delivers one-shot watches once, and one event per watcher even if registered in several tables", () => {
    const reg = new WatchRegistry();
    const got: WatchEvent[] = [];
    const w = (e: WatchEvent) => got.push(e);
    reg.add(reg.data, "/a", w);
    reg.add(reg.child, "/a", w);
    reg.deliver("NodeDeleted", "/a");
    reg.deliver("NodeDeleted", "/a");
    expect(got).toEqual([{ type: "NodeDeleted", path: "/a" }]);
  });

  it("child watches ignore data events; recursive watches see descendants but not NodeChildrenChanged", () => {
    const reg = new WatchRegistry();
    const child: string[] = [];
    const rec: string[] = [];
    reg.add(reg.child, "/p", (e) => child.push(e.type));
    reg.add(reg.recursive, "/", (e) => rec.push(`${e.type} ${e.path}`));
    reg.deliver("NodeDataChanged", "/p");
    reg.deliver("NodeChildrenChanged", "/p");
    reg.deliver("NodeCreated", "/p/c/d");
    expect(child).toEqual(["NodeChildrenChanged"]);
    expect(rec).toEqual(["NodeDataChanged /p", "NodeCreated /p/c/d"]);
  });

  it("a throwing watcher does not stop delivery to the others", () => {
    const reg = new WatchRegistry();
    const got: string[] = [];
    reg.add(reg.persistent, "/x", () => {
      throw new Error("boom");
    });
    reg.add(reg.persistent, "/x", (e) => got.push(e.type));
    reg.deliver("NodeCreated", "/x");
    expect(got).toEqual(["NodeCreated"]);
  });

  it("typed removal leaves persistent watches; Any removes all", () => {
    const reg = new WatchRegistry();
    const w = () => {};
    reg.add(reg.persistent, "/x", w);
    reg.add(reg.data, "/x", w);
    reg.remove("Data", "/x");
    expect(reg.has("Data", "/x")).toBe(false);
    expect(reg.has("Any", "/x")).toBe(true);
    reg.remove("Any", "/x");
    expect(reg.has("Any", "/x")).toBe(false);
    expect(reg.snapshot((p) => `/root${p}`)).toEqual({
      data: [],
      exist: [],
      child: [],
      persistent: [],
      persistentRecursive: [],
    });
  });
});
