/**
 * Mass session expiry (a network blip that silences thousands of clients at once) is worked
 * off in bounded batches with the event loop free in between, and still expires every session
 * and removes every ephemeral, each watcher told once. The container reaper likewise, and it
 * spares a container that got a child again while it was yielding.
 */
import { describe, expect, it } from "vitest";
import type { Session, WatchEvent } from "@conifer/coordinator";
import { pauseHeartbeats, reapNow } from "../src/testing/index.ts";
import { openEngine, until } from "./helpers.ts";

const SESSIONS = 2000;

describe("mass session expiry", () => {
  it(
    `expires ${SESSIONS} sessions that go silent in the same tick in batches, yielding in between`,
    { timeout: 120_000 },
    async () => {
      const { engine } = await openEngine({ tickMs: 50 });
      const observer = await engine.connect();
      await observer.create("/blip");
      const sessions: Session[] = [];
      for (let i = 0; i < SESSIONS; i += 100) {
        const batch = await Promise.all(Array.from({ length: 100 }, () => engine.connect({ timeoutMs: 100 })));
        await Promise.all(batch.map((s, j) => s.create(`/blip/e${i + j}`, null, { mode: "EPHEMERAL" })));
        sessions.push(...batch);
      }
      const events: WatchEvent[] = [];
      await observer.getChildren("/blip", (e) => events.push(e));

      // once a tick has stamped every session's lastSeen with the same time, pausing them all
      // now makes them due in the same expiry pass
      const lastSeen = () => new Set(sessions.map((s) => (s as unknown as { lastSeen: number }).lastSeen));
      await until("one tick stamped every session", () => lastSeen().size === 1);
      for (const s of sessions) pauseHeartbeats(engine, s);
      const seen: number[] = [];
      let probing = true;
      const probe = () => {
        seen.push(sessions.filter((s) => s.state === "expired").length);
        if (probing) setImmediate(probe);
      };
      setImmediate(probe);
      await until("all sessions expired", () => sessions.every((s) => s.state === "expired"), 60_000);
      probing = false;

      // the event loop ran (our probe) while the pass was partly done: it did not run in one go
      const partial = new Set(seen.filter((n) => n > 0 && n < SESSIONS));
      expect(partial.size, `observed expired counts ${JSON.stringify([...new Set(seen)])}`).toBeGreaterThan(1);
      await until("ephemerals removed", async () => (await observer.getChildren("/blip")).children.length === 0);
      expect(engine.stats().sessions).toBe(1);
      expect(engine.stats().ephemerals).toBe(0);
      expect(events).toEqual([{ type: "NodeChildrenChanged", path: "/blip" }]);
    },
  );
});

describe("mass container reaping", () => {
  it(
    "removes thousands of emptied containers in batches, sparing one that got a child meanwhile",
    { timeout: 120_000 },
    async () => {
      const N = 1500;
      const { engine } = await openEngine();
      const s = await engine.connect();
      await s.create("/c");
      for (let i = 0; i < N; i += 100) {
        const ids = Array.from({ length: 100 }, (_, j) => i + j);
        await Promise.all(ids.map((k) => s.create(`/c/k${k}`, null, { mode: "CONTAINER" })));
        await Promise.all(ids.map((k) => s.create(`/c/k${k}/x`)));
        await Promise.all(ids.map((k) => s.delete(`/c/k${k}/x`)));
      }
      const last = `/c/k${N - 1}`;
      const remaining = () => engine.processor.tree.get("/c")!.children.size;
      const seen: number[] = [];
      let probing = true;
      let refilled = false;
      const probe = () => {
        const left = remaining();
        seen.push(left);
        // mid-pass: the last container (reaped last) gets a child again before its turn
        if (!refilled && left < N) {
          refilled = true;
          void s.create(`${last}/again`);
        }
        if (probing) setImmediate(probe);
      };
      setImmediate(probe);
      const removed = await reapNow(engine);
      probing = false;
      expect(refilled).toBe(true);
      expect(
        new Set(seen.filter((n) => n > 1 && n < N)).size,
        `observed ${JSON.stringify([...new Set(seen)])}`,
      ).toBeGreaterThan(1);
      expect(removed).toBe(N - 1);
      expect((await s.getChildren("/c")).children).toEqual([`k${N - 1}`]);
      expect((await s.getChildren(last)).children).toEqual(["again"]);
    },
  );
});
