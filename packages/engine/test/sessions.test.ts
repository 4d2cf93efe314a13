/**
 * Sessions: negotiated timeouts, expiry without heartbeats (with a small tick), close, FIFO
 * without awaiting, SESSION_EXPIRED afterwards, and watchers told about the ephemerals' end.
 */
import { describe, expect, it } from "vitest";
import { CoordinatorError } from "@conifer/coordinator";
import type { SessionState, WatchEvent } from "@conifer/coordinator";
import { expireSession, pauseHeartbeats } from "../src/testing/index.ts";
import { buf, openEngine, until } from "./helpers.ts";

describe("sessions", () => {
  it("clamps the timeout to [2, 20] ticks and hands out distinct non-zero ids", async () => {
    const { engine } = await openEngine({ tickMs: 100 });
    const a = await engine.connect({ timeoutMs: 1 });
    const b = await engine.connect({ timeoutMs: 1_000_000 });
    expect(a.timeoutMs).toBe(200);
    expect(b.timeoutMs).toBe(2000);
    expect(a.sessionId).not.toBe(0n);
    expect(a.sessionId).not.toBe(b.sessionId);
    expect(a.sessionId >> 56n).toBe(1n);
  });

  it("expires a session that stops heartbeating: ephemerals go, watchers hear it", async () => {
    const { engine } = await openEngine({ tickMs: 20 });
    const watcher = await engine.connect();
    // it pings until it is set up (a 40 ms timeout can pass before its first request on a busy
    // machine), then stops
    const victim = await engine.connect({ timeoutMs: 40 });
    const states: SessionState[] = [];
    victim.onStateChange((s) => states.push(s));
    await watcher.create("/svc");
    await victim.create("/svc/i", null, { mode: "EPHEMERAL" });
    const ev: WatchEvent[] = [];
    await watcher.exists("/svc/i", (e) => ev.push(e));
    await watcher.getChildren("/svc", (e) => ev.push(e));
    pauseHeartbeats(engine, victim);
    await until("expiry", () => states.includes("expired"));
    expect(victim.state).toBe("expired");
    expect(await watcher.exists("/svc/i")).toBeNull();
    expect(ev).toEqual([
      { type: "NodeDeleted", path: "/svc/i" },
      { type: "NodeChildrenChanged", path: "/svc" },
    ]);
    const err = await victim.getData("/svc").catch((e: unknown) => e);
    expect(CoordinatorError.is(err, "SESSION_EXPIRED")).toBe(true);
    // the heartbeating session outlived several timeouts of the other one
    expect(watcher.state).toBe("connected");
  });

  it("pauseHeartbeats makes a live session expire; expireSession does it at once", async () => {
    const { engine } = await openEngine({ tickMs: 20 });
    const s = await engine.connect({ timeoutMs: 40 });
    pauseHeartbeats(engine, s);
    await until("expired", () => s.state === "expired");
    const t = await engine.connect();
    const seen: SessionState[] = [];
    t.onStateChange((x) => seen.push(x));
    await t.create("/eph", null, { mode: "EPHEMERAL" });
    await expireSession(engine, t);
    expect(seen).toEqual(["expired"]);
    const c = await engine.connect();
    expect(await c.exists("/eph")).toBeNull();
  });

  it("close ends the session with a closeSession txn; later calls fail", async () => {
    const { engine } = await openEngine();
    const s = await engine.connect();
    const other = await engine.connect();
    await s.create("/c", null, { mode: "EPHEMERAL" });
    const before = engine.lastZxid;
    const seen: SessionState[] = [];
    s.onStateChange((x) => seen.push(x));
    await s.close();
    expect(engine.lastZxid).toBe(before + 1n);
    expect(seen).toEqual(["closed"]);
    expect(await other.exists("/c")).toBeNull();
    expect((await s.create("/x").catch((e: unknown) => e)) as CoordinatorError).toMatchObject({
      code: "SESSION_EXPIRED",
    });
    await s.close();
  });

  it("applies a session's requests in issue order without awaiting", async () => {
    const { engine } = await openEngine({ fsync: true });
    const s = await engine.connect();
    const ps: Promise<unknown>[] = [s.create("/f")];
    for (let i = 0; i < 50; i++) ps.push(s.setData("/f", buf(String(i)), i));
    ps.push(s.getData("/f"));
    ps.push(s.delete("/f", 50));
    const results = await Promise.all(ps);
    expect((results[51] as { data: Buffer }).data.toString()).toBe("49");
    expect(await s.exists("/f")).toBeNull();
  });

  it("answers locally refused requests in issue order too", async () => {
    const { engine } = await openEngine({ fsync: true });
    const s = await engine.connect();
    const order: string[] = [];
    const a = s.create("/ord").then(() => order.push("create"));
    const b = s.create("bad-path").catch((e: unknown) => order.push((e as CoordinatorError).code));
    const c = s
      .setData("/ord", Buffer.alloc(1_048_576)) // 1 MiB: its frame is over jute.maxbuffer
      .catch((e: unknown) => order.push(`big ${(e as CoordinatorError).code}`));
    const d = s.exists("/ord").then(() => order.push("exists"));
    await Promise.all([a, b, c, d]);
    expect(order).toEqual(["create", "BAD_ARGUMENTS", "big BAD_ARGUMENTS", "exists"]);
  });

  it("keeps concurrent sessions consistent under group commit with fsync", async () => {
    const { engine } = await openEngine({ fsync: true });
    const sessions = await Promise.all(Array.from({ length: 8 }, () => engine.connect()));
    await sessions[0]!.create("/g");
    await Promise.all(sessions.flatMap((s, i) => Array.from({ length: 10 }, (_, j) => s.create(`/g/${i}-${j}`))));
    expect((await sessions[3]!.getChildren("/g")).children).toHaveLength(80);
    expect((await sessions[3]!.exists("/g"))!.cversion).toBe(80);
  });
});
