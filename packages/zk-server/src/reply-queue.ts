/**
 * A connection's output, in request order: each request takes a slot when it is issued, its
 * reply fills the slot when the engine settles it, and slots leave from the front as soon as
 * they are filled. Watch notifications are slotted where ZooKeeper's server writes them, and
 * filled when the server-wide pacer lets them go (notification-pacer.ts).
 */
import { replyHeader } from "@conifer/zookeeper/wire";
import type { Engine } from "@conifer/engine";
import type { ConnectionInfo, LatencyTracker } from "./connection-info.ts";
import type { NotificationPacer } from "./notification-pacer.ts";
import type { Reply } from "./replies.ts";

interface Slot {
  frame: Buffer | null;
  ready: boolean;
  notification?: true;
  after?: () => void;
  /** the engine's zxid once the request was issued: what state its answer reflects */
  issuedAt: bigint;
}

export class ReplyQueue {
  private readonly slots: Slot[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly info: ConnectionInfo,
    private readonly latency: LatencyTracker,
    private readonly pacer: NotificationPacer,
    private readonly write: (frame: Buffer) => void,
    private readonly fail: () => void,
  ) {}

  /** a slot for the reply to `xid`; `after` runs once that reply is written */
  enqueue(xid: number, outcome: Reply | Promise<Reply>, started: number, after?: () => void): void {
    const slot: Slot = { frame: null, ready: false, after, issuedAt: this.engine.lastZxid };
    this.slots.push(slot);
    this.info.queued++;
    const settle = (rep: Reply) => {
      const w = replyHeader(xid, rep.zxid, rep.err, rep.err === 0 ? rep.size : undefined);
      if (rep.err === 0 && rep.body) rep.body(w);
      slot.frame = w.frame();
      slot.ready = true;
      this.info.lastZxid = rep.zxid;
      this.latency.record(Date.now() - started);
      this.flush();
    };
    if (outcome instanceof Promise) outcome.then(settle, this.fail);
    else settle(outcome);
  }

  notify(frame: Buffer): void {
    const zxid = this.engine.deliveringZxid;
    // The engine releases answers in issue order, but ours are settled a few microtasks later, so
    // an event may arrive while the reply of the read that set its watch is still in `slots`.
    // ZooKeeper writes the event after the replies of requests issued before the write and before
    // the replies of those issued after it (which already see the new data): slot it there, and
    // never ahead of a notification still waiting for the pacer.
    let at = zxid === null ? 0 : this.slots.findIndex((slot) => slot.issuedAt >= zxid);
    if (at === -1) at = this.slots.length;
    for (let i = this.slots.length - 1; i >= at; i--)
      if (this.slots[i]?.notification) {
        at = i + 1;
        break;
      }
    const slot: Slot = { frame, ready: false, notification: true, issuedAt: zxid ?? this.engine.lastZxid };
    this.slots.splice(at, 0, slot);
    this.info.queued++;
    this.pacer.push(() => {
      slot.ready = true;
      this.flush();
    });
  }

  private flush(): void {
    for (let slot = this.slots[0]; slot?.ready; slot = this.slots[0]) {
      this.slots.shift();
      this.info.queued--;
      if (slot.frame) this.write(slot.frame);
      slot.after?.();
    }
  }
}
