/** ReplyQueue: replies in request order, and a notification held by the pacer holds the replies behind it. */
import { describe, expect, it, vi } from "vitest";
import type { Engine } from "@conifer/engine";
import { LatencyTracker, newConnectionInfo } from "./connection-info.ts";
import { NotificationPacer } from "./notification-pacer.ts";
import { ReplyQueue } from "./reply-queue.ts";
import type { ServerCounters } from "./stats.ts";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(chunk: number) {
  const engine = { lastZxid: 10n, deliveringZxid: null as bigint | null };
  const info = newConnectionInfo("127.0.0.1:1", Date.now());
  const counters = { latency: vi.fn() } as unknown as ServerCounters;
  const written: string[] = [];
  const pacer = new NotificationPacer(chunk);
  const queue = new ReplyQueue(
    engine as unknown as Engine,
    info,
    new LatencyTracker(info, counters),
    pacer,
    (frame) => written.push(frame.readInt32BE(4) === -1 ? "event" : `reply ${frame.readInt32BE(4)}`),
    () => written.push("fail"),
  );
  /** a notification delivered for the write `zxid` (the engine sets deliveringZxid meanwhile) */
  const deliver = (zxid: bigint) => {
    engine.deliveringZxid = zxid;
    queue.notify(frameWithXid(-1));
    engine.deliveringZxid = null;
  };
  return { engine, queue, pacer, written, deliver };
}

/** a frame whose header xid is `xid` (length prefix, then xid) */
function frameWithXid(xid: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeInt32BE(4, 0);
  b.writeInt32BE(xid, 4);
  return b;
}

describe("ReplyQueue", () => {
  it("writes replies in request order even when they settle out of order", async () => {
    const { queue, written } = setup(8);
    let settleFirst: (r: { err: number; zxid: bigint }) => void = () => {};
    queue.enqueue(1, new Promise((resolve) => (settleFirst = resolve)), Date.now());
    queue.enqueue(2, { err: 0, zxid: 10n }, Date.now());
    expect(written).toEqual([]);
    settleFirst({ err: 0, zxid: 10n });
    await Promise.resolve();
    await Promise.resolve();
    expect(written).toEqual(["reply 1", "reply 2"]);
  });

  it("puts an event after replies issued before its write and before those issued after it", async () => {
    const { engine, queue, written, deliver } = setup(8);
    let settleOld: (r: { err: number; zxid: bigint }) => void = () => {};
    queue.enqueue(1, new Promise((resolve) => (settleOld = resolve)), Date.now());
    engine.lastZxid = 11n; // the write applied; a read issued now sees it
    let settleNew: (r: { err: number; zxid: bigint }) => void = () => {};
    queue.enqueue(2, new Promise((resolve) => (settleNew = resolve)), Date.now());
    deliver(11n);
    settleNew({ err: 0, zxid: 11n });
    settleOld({ err: 0, zxid: 10n });
    await Promise.resolve();
    await Promise.resolve();
    expect(written).toEqual(["reply 1", "event", "reply 2"]);
  });

  it("holds replies behind an event the pacer has not released yet", async () => {
    const { engine, queue, pacer, written, deliver } = setup(1);
    // another connection's notification takes this turn's budget
    pacer.push(() => {});
    deliver(11n);
    expect(written).toEqual([]);
    engine.lastZxid = 11n;
    queue.enqueue(5, { err: 0, zxid: 11n }, Date.now());
    expect(written).toEqual([]);
    await nextTurn();
    expect(written).toEqual(["event", "reply 5"]);
  });

  it("keeps two held events in delivery order, even one delivered outside a write", async () => {
    const { engine, queue, pacer, written, deliver } = setup(1);
    pacer.push(() => {});
    deliver(11n);
    engine.deliveringZxid = null;
    queue.notify(frameWithXid(-1));
    queue.enqueue(6, { err: 0, zxid: 11n }, Date.now());
    await nextTurn();
    expect(written).toEqual(["event"]);
    await nextTurn();
    expect(written).toEqual(["event", "event", "reply 6"]);
  });
});
