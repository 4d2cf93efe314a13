/**
 * Engine-only fidelity cases from the differential test against Apache ZooKeeper (issue 12)
 * that the backend-independent contract suite cannot state: they need the super digest, a
 * counter no test could reach by creating nodes, or ZooKeeper's fixed behaviour where the
 * Debian 3.8.0 server the contract suite runs against still has the bug.
 */
import { describe, expect, it } from "vitest";
import type { WatchEvent } from "@conifer/coordinator";
import { digestOf } from "../src/index.ts";
import { buf, openEngine, until } from "./helpers.ts";

const elsewhere = [{ perms: 31, id: { scheme: "ip", id: "10.1.2.3" } }];

function recorder(): { events: WatchEvent[]; watcher: (e: WatchEvent) => void } {
  const events: WatchEvent[] = [];
  return { events, watcher: (e) => events.push({ type: e.type, path: e.path }) };
}

describe("watch events and READ permission", () => {
  it("super is told about every change, whatever the ACL; others are not", async () => {
    const { engine } = await openEngine({ superDigest: digestOf("super:root") });
    const root = await engine.connect({ auth: [{ scheme: "digest", auth: "super:root" }] });
    const other = await engine.connect();
    const once = recorder();
    const all = recorder();
    await root.exists("/hidden", once.watcher);
    await root.addWatch("/", "PERSISTENT_RECURSIVE", all.watcher);
    const blind = recorder();
    await other.addWatch("/", "PERSISTENT_RECURSIVE", blind.watcher);
    await other.create("/hidden", buf("x"), { acl: elsewhere });
    await root.setData("/hidden", buf("y"));
    await until("the recursive watch's two events", () => all.events.length >= 2);
    expect(once.events).toEqual([{ type: "NodeCreated", path: "/hidden" }]);
    expect(all.events).toEqual([
      { type: "NodeCreated", path: "/hidden" },
      { type: "NodeDataChanged", path: "/hidden" },
    ]);
    // released with the same changes, before the writes answered
    expect(blind.events).toEqual([]);
  });
});

describe("mixed watch modes on one path, as fixed after ZooKeeper 3.8.0", () => {
  it("a one-shot watch set after a persistent one fires once; the persistent one keeps firing (ZOOKEEPER-4466)", async () => {
    const { engine } = await openEngine();
    const s = await engine.connect();
    await s.create("/m", buf("0"));
    const persistent = recorder();
    const once = recorder();
    await s.addWatch("/m", "PERSISTENT", persistent.watcher);
    await s.getData("/m", once.watcher);
    await s.setData("/m", buf("1"));
    await s.setData("/m", buf("2"));
    await until("two persistent events", () => persistent.events.length >= 2);
    expect(once.events).toEqual([{ type: "NodeDataChanged", path: "/m" }]);
    expect(persistent.events).toEqual([
      { type: "NodeDataChanged", path: "/m" },
      { type: "NodeDataChanged", path: "/m" },
    ]);
  });

  it("typed removeWatches leaves persistent and recursive watches whole; only Any removes them (ZOOKEEPER-4471)", async () => {
    const { engine } = await openEngine();
    const s = await engine.connect();
    await s.create("/m", buf("0"));
    const persistent = recorder();
    const recursive = recorder();
    await s.addWatch("/m", "PERSISTENT", persistent.watcher);
    await s.addWatch("/m", "PERSISTENT_RECURSIVE", recursive.watcher);
    await expect(s.removeWatches("/m", "Children")).rejects.toMatchObject({ code: "NO_WATCHER" });
    await expect(s.removeWatches("/m", "Data")).rejects.toMatchObject({ code: "NO_WATCHER" });
    await s.create("/m/c");
    await s.setData("/m", buf("1"));
    await until("the persistent watch's two events", () => persistent.events.length >= 2);
    expect(persistent.events).toEqual([
      { type: "NodeChildrenChanged", path: "/m" },
      { type: "NodeDataChanged", path: "/m" },
    ]);
    expect(recursive.events).toEqual([
      { type: "NodeCreated", path: "/m/c" },
      { type: "NodeDataChanged", path: "/m" },
    ]);
    await s.removeWatches("/m", "Any");
    await s.setData("/m", buf("2"));
    expect(persistent.events).toHaveLength(2);
    expect(engine.stats().watches).toBe(0);
  });
});
