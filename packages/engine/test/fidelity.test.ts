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
