/**
 * The change-activity signal (change-signal.ts) on a real embedded engine and SQLite, with the
 * fault-injecting session: the name carries the activity and reads back; a signal the backend
 * never took is still delivered here, and one whose answer was lost (the create landed) is
 * delivered once, not by the fallback and again by its event (no policy set: a submit approves).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ChangeEvent } from "./change-events.ts";
import { parseSignal, signalName } from "./change-signal.ts";
import { openFixture, user, type Fixture } from "./test-fixture.ts";

let f: Fixture;
const alice = user("alice", [["/", "editor"]]);

beforeAll(async () => {
  f = await openFixture("signal-a");
  await f.other.create("/sig", Buffer.alloc(0));
  for (const k of ["a", "b"]) await f.other.create(`/sig/${k}.txt`, Buffer.from("0"));
  await f.conifer.drain();
});
afterAll(() => f.close());

/** every action heard for changes on `path`, as [action, status] */
function hear(path: string): { heard: [string, string][]; stop: () => void } {
  const heard: [string, string][] = [];
  const stop = f.conifer.releases.onChange((e) => {
    if (e.paths.includes(path)) heard.push([e.activity.action, e.activity.status]);
  });
  return { heard, stop };
}

describe("change signal", () => {
  it("names an activity so that it reads back; refuses what a name cannot carry", () => {
    const e: ChangeEvent = {
      activity: { id: "42", status: "in_review", author: "a", revision: 3, action: "request_changes" },
      paths: ["/x"],
    };
    const name = signalName(e, "beef01");
    expect(name).toBe("42.request_changes.in_review.3.beef01-");
    expect(parseSignal(`${name ?? ""}0000000007`)).toEqual({
      id: "42",
      action: "request_changes",
      status: "in_review",
      revision: 3,
      nonce: "beef01",
    });
    expect(signalName({ ...e, activity: { ...e.activity, id: "4.2" } }, "beef01")).toBeNull();
    expect(parseSignal("instances")).toBeNull();
  });

  it.each([
    ["the backend never took (delivered here directly)", "fail", "/sig/a.txt"],
    ["whose answer was lost (it landed)", "lose-answer", "/sig/b.txt"],
  ] as const)("a signal %s is delivered once", async (_, kind, path) => {
    const { heard, stop } = hear(path);
    try {
      const planned = f.faulty.inject({ call: "create", fault: { kind } });
      const c = await f.conifer.releases.changes.create(alice, { title: path, items: [{ path, content: "1" }] });
      await planned.hit;
      await f.conifer.releases.changes.submit(alice, c.id);
      await vi.waitFor(() => expect(heard.at(-1)?.[0]).toBe("submit"), { timeout: 20_000, interval: 20 });
      expect(heard).toEqual([
        ["create", "draft"],
        ["submit", "approved"],
      ]);
    } finally {
      stop();
    }
  });
});
