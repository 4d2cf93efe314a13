/**
 * Server-side removals and counters: the container/TTL reaper (on demand and on its timer),
 * the sequential counter's stop at 2^31-1, and the release order across sessions.
 */
import { describe, expect, it } from "vitest";
import type { WatchEvent } from "@conifer/coordinator";
import { reapNow } from "../src/testing/index.ts";
import { buf, openEngine, until } from "./helpers.ts";

describe("reaper", () => {
  it("removes containers that had children, keeps never-used ones, fires delete watches", async () => {
    const { engine } = await openEngine();
    const s = await engine.connect();
    await s.create("/c", null, { mode: "CONTAINER" });
    await s.create("/unused", null, { mode: "CONTAINER" });
    await s.create("/c/kid");
    expect(await reapNow(engine)).toBe(0);
    const ev: WatchEvent[] = [];
    await s.exists("/c", (e) => ev.push(e));
    await s.delete("/c/kid");
    const zxid = engine.lastZxid;
    expect(await reapNow(engine)).toBe(1);
    expect(engine.lastZxid).toBe(zxid + 1n);
    expect(await s.exists("/c")).toBeNull();
    expect(await s.exists("/unused")).not.toBeNull();
    expect(ev).toEqual([{ type: "NodeDeleted", path: "/c" }]);
  });

  it("removes childless TTL nodes after ttl without modification, on its own timer", async () => {
    const { engine } = await openEngine({ containerCheckIntervalMs: 20 });
    const s = await engine.connect();
    const t = await s.create("/t", buf("x"), { mode: "PERSISTENT_WITH_TTL", ttl: 50 });
    expect(t.stat.ephemeralOwner).toBe(0n);
    const seq = (await s.create("/q", null, { mode: "PERSISTENT_SEQUENTIAL_WITH_TTL", ttl: 1 })).path;
    await s.create("/busy", null, { mode: "PERSISTENT_WITH_TTL", ttl: 1 });
    await s.create("/busy/kid");
    await until("TTL nodes reaped", async () => (await s.exists("/t")) === null && (await s.exists(seq)) === null);
    expect(await s.exists("/busy")).not.toBeNull();
    for (const ttl of [0, -1, 2 ** 40]) {
      await expect(s.create("/bad", null, { mode: "PERSISTENT_WITH_TTL", ttl })).rejects.toMatchObject({
        code: "BAD_ARGUMENTS",
      });
    }
  });
});

describe("counters and ordering", () => {
  it("stops the sequential counter at 2^31-1 as ZooKeeper does: NODE_EXISTS, no wrap", async () => {
    const { engine } = await openEngine();
    const s = await engine.connect();
    await s.create("/w");
    engine.processor.tree.get("/w")!.cversion = 2147483646;
    const seq = () => s.create("/w/n", null, { mode: "PERSISTENT_SEQUENTIAL" });
    const first = await seq();
    expect(first.path).toBe("/w/n2147483646");
    expect((await seq()).path).toBe("/w/n2147483647");
    const before = await s.exists("/w");
    await expect(seq()).rejects.toMatchObject({ code: "NODE_EXISTS", path: "/w/n2147483647" });
    await expect(seq()).rejects.toMatchObject({ code: "NODE_EXISTS" });
    // the increment that would wrap is dropped: counter and pzxid stay where the first one left them
    const after = await s.exists("/w");
    expect(after?.pzxid).toBe(first.stat.czxid);
    expect(after?.cversion).toBe(before?.cversion);
    expect(after?.numChildren).toBe(2);
  });

  it("holds another session's later read behind a pending write (no reply overtakes)", async () => {
    const { engine } = await openEngine({ fsync: true });
    const a = await engine.connect();
    const b = await engine.connect();
    await a.create("/o", buf("0"));
    const order: string[] = [];
    const w = a.setData("/o", buf("1")).then(() => order.push("write"));
    const r = b.getData("/o").then((x) => order.push(`read ${x.data.toString()}`));
    const e = b.exists("/nothing").then(() => order.push("exists"));
    await Promise.all([w, r, e]);
    expect(order).toEqual(["write", "read 1", "exists"]);
  });
});
