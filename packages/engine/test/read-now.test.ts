/**
 * Engine.readNow, the network door's read without a promise: answered at once only when no
 * outcome waits for the disk, so it can never overtake a pending write's reply (no dirty read).
 */
import { describe, expect, it } from "vitest";
import { CoordinatorError } from "@conifer/coordinator";
import type { WatchEvent } from "@conifer/coordinator";
import { buf, openEngine, until } from "./helpers.ts";

describe("Engine.readNow", () => {
  it("answers getData, exists and getChildren at once when nothing is pending, with the watch set", async () => {
    const { engine } = await openEngine();
    const s = await engine.connect();
    await s.create("/a", buf("one"));
    await s.create("/a/b");
    const events: WatchEvent[] = [];
    const data = engine.readNow(s, "getData", "/a", (e) => events.push(e));
    expect(data?.value.data?.toString()).toBe("one");
    expect(data?.value.stat.numChildren).toBe(1);
    expect(engine.readNow(s, "exists", "/nope")).toEqual({ value: null });
    expect(engine.readNow(s, "getChildren", "/a")?.value.children).toEqual(["b"]);
    await s.setData("/a", buf("two"));
    await until("the data watch", () => events.length === 1);
    expect(events[0]).toEqual({ type: "NodeDataChanged", path: "/a" });
  });

  it("declines while a write waits for the disk, and answers again once it is durable", async () => {
    const { engine } = await openEngine({ fsync: true });
    const s = await engine.connect();
    await s.create("/a", buf("one"));
    const pending = s.setData("/a", buf("two"));
    expect(engine.readNow(s, "getData", "/a")).toBeNull();
    await pending;
    expect(engine.readNow(s, "getData", "/a")?.value.data?.toString()).toBe("two");
  });

  it("throws what the read refuses with", async () => {
    const { engine } = await openEngine();
    const s = await engine.connect();
    expect(() => engine.readNow(s, "getData", "/missing")).toThrow(CoordinatorError);
    await s.close();
    expect(() => engine.readNow(s, "exists", "/")).toThrow(/SESSION_EXPIRED|closed/);
  });
});
