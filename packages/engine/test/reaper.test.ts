/**
 * Server-side removals and counters: the container/TTL reaper (on demand and on its timer),
 * the int32 wrap of the sequential counter, and the release order across sessions.
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
  it("wraps the sequential counter like an int32", async () => {
    const { engine } = await openEngine();
    const s = await engine.connect();
    await s.create("/w");
    const parent = engine.processor.tree.get("/w")!;
    parent.cversion = 2147483647;
    expect((await s.create("/w/n", null, { mode: "PERSISTENT_SEQUENTIAL" })).path).toBe("/w/n2147483647");
    expect((await s.create("/w/n", null, { mode: "PERSISTENT_SEQUENTIAL" })).path).toBe("/w/n-2147483648");
    expect((await s.create("/w/n", null, { mode: "PERSISTENT_SEQUENTIAL" })).path).toBe("/w/n-2147483647");
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
