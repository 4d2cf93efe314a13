/**
 * The fault-injecting wrapper on its own, over a recording stand-in for a session: which call a
 * plan hits, and what reaches the inner session for each kind of fault.
 */
import { describe, expect, it } from "vitest";
import type { Session } from "../coordinator.ts";
import { CoordinatorError } from "../errors.ts";
import type { Stat } from "../types.ts";
import { FaultyBackend, FaultySession } from "./faulty-session.ts";

/** a stand-in that records the setData / exists calls it receives */
function recording(): { inner: Session; sent: string[] } {
  const sent: string[] = [];
  const stat = { version: 1 } as Stat;
  const inner = {
    sessionId: 7n,
    setData: (path: string) => {
      sent.push(`setData ${path}`);
      return Promise.resolve(stat);
    },
    exists: (path: string) => {
      sent.push(`exists ${path}`);
      return Promise.resolve(null);
    },
  } as unknown as Session;
  return { inner, sent };
}

describe("FaultySession", () => {
  it("passes calls through until the planned Nth call of that operation, which fails unsent", async () => {
    const { inner, sent } = recording();
    const s = new FaultySession(inner);
    const planned = s.inject({ call: "setData", nth: 2, fault: { kind: "fail" } });
    await s.exists("/x");
    await expect(s.setData("/a", null)).resolves.toMatchObject({ version: 1 });
    const err: unknown = await s.setData("/b", null).catch((e: unknown) => e);
    await planned.hit;
    expect(CoordinatorError.is(err, "CONNECTION_LOSS")).toBe(true);
    await s.setData("/c", null);
    expect(sent).toEqual(["exists /x", "setData /a", "setData /c"]);
    expect(s.calls.get("setData")).toBe(3);
  });

  it("lose-answer sends the call, then throws (the given error or CONNECTION_LOSS)", async () => {
    const { inner, sent } = recording();
    const s = new FaultySession(inner);
    s.inject({ call: "setData", fault: { kind: "lose-answer" } });
    s.inject({ call: "setData", fault: { kind: "lose-answer", error: new CoordinatorError("OPERATION_TIMEOUT") } });
    const first: unknown = await s.setData("/a", null).catch((e: unknown) => e);
    const second: unknown = await s.setData("/b", null).catch((e: unknown) => e);
    expect(CoordinatorError.is(first, "CONNECTION_LOSS")).toBe(true);
    expect(CoordinatorError.is(second, "OPERATION_TIMEOUT")).toBe(true);
    expect(sent).toEqual(["setData /a", "setData /b"]);
  });

  it("delay holds the call until the test's action is done, then sends it", async () => {
    const { inner, sent } = recording();
    const s = new FaultySession(inner);
    s.inject({
      call: "exists",
      fault: {
        kind: "delay",
        until: async () => {
          sent.push("competing write");
          await Promise.resolve();
        },
      },
    });
    await s.exists("/x");
    expect(sent).toEqual(["competing write", "exists /x"]);
  });

  it("clear drops faults not yet fired; FaultyBackend wraps every session it opens", async () => {
    const { inner, sent } = recording();
    const backend = new FaultyBackend({
      kind: "embedded",
      maxDataBytes: 1,
      connect: () => Promise.resolve(inner),
      info: () => Promise.reject(new Error("unused")),
      close: () => Promise.resolve(),
    });
    expect(() => backend.last()).toThrow(/no session/);
    const s = await backend.connect();
    expect(s).toBe(backend.last());
    expect(s.sessionId).toBe(7n);
    backend.last().inject({ call: "exists", fault: { kind: "fail" } });
    backend.last().clear();
    await s.exists("/y");
    expect(sent).toEqual(["exists /y"]);
  });
});
