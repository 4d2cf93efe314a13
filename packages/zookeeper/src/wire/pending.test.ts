/** Unit tests for the outstanding-request bookkeeping: FIFO matching, connection loss, session end. */
import { CoordinatorError } from "@conifer/coordinator";
import { describe, expect, it } from "vitest";
import { PendingRequests, type Waiter } from "./pending.ts";

function waiter(path?: string): Waiter & { settled: Promise<unknown> } {
  let resolve!: (v: unknown) => void;
  const settled = new Promise((r) => (resolve = r));
  return { path, resolve: () => resolve("ok"), reject: (e) => resolve(e), settled };
}

describe("PendingRequests", () => {
  it("matches replies to the oldest request and refuses an out-of-order xid", () => {
    const p = new PendingRequests();
    const a = waiter();
    p.sent(1, a);
    p.sent(2, waiter());
    expect(p.replied(1)).toBe(a);
    expect(() => p.replied(3)).toThrow(/out of order/);
  });

  it("on connection loss fails what was sent with CONNECTION_LOSS and keeps what was queued", async () => {
    const p = new PendingRequests();
    const sent = waiter("/a");
    const queued = waiter("/b");
    p.sent(1, sent);
    p.queue({ op: 4, write: () => {}, waiter: queued, deadline: Date.now() + 60_000 });
    p.failSent("lost");
    const err = await sent.settled;
    expect(CoordinatorError.is(err, "CONNECTION_LOSS")).toBe(true);
    expect((err as CoordinatorError).path).toBe("/a");
    expect(p.takeQueued().map((q) => q.waiter)).toEqual([queued]);
  });

  it("expires queued requests past their deadline, and fails everything when the session ends", async () => {
    const p = new PendingRequests();
    const old = waiter();
    const fresh = waiter();
    p.queue({ op: 4, write: () => {}, waiter: old, deadline: 10 });
    p.queue({ op: 4, write: () => {}, waiter: fresh, deadline: 1_000 });
    p.expireQueued(500, "gone");
    expect(CoordinatorError.is(await old.settled, "CONNECTION_LOSS")).toBe(true);
    p.failAll("SESSION_EXPIRED", "expired");
    expect(CoordinatorError.is(await fresh.settled, "SESSION_EXPIRED")).toBe(true);
    expect(p.takeQueued()).toEqual([]);
  });
});
