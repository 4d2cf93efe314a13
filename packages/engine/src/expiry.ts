/**
 * Session expiry, ZooKeeper's SessionTracker for one machine: every tick, the sessions whose
 * client has sent nothing for their timeout are closed (with their ephemerals). Thousands
 * expiring in one tick (a network blip) are closed over many short turns instead of one stall.
 */
import type { DataTree } from "./data-tree.ts";
import type { EngineSession } from "./session.ts";

/**
 * Work done per expiry batch before yielding to the event loop: each session counts 1 plus its
 * ephemerals (each is a delete with its watch triggers).
 */
const EXPIRY_BATCH_UNITS = 500;

export class SessionExpiry {
  /** an expiry pass still closing sessions batch by batch */
  private expiring = false;

  constructor(
    private readonly live: ReadonlyMap<bigint, EngineSession>,
    private readonly tree: () => DataTree,
    private readonly expire: (s: EngineSession) => void,
    private readonly closed: () => boolean,
  ) {}

  /** one tick: finds the sessions due and starts expiring them */
  check(): void {
    if (this.expiring) return; // the previous pass is still working through its batches
    const now = Date.now();
    const due: EngineSession[] = [];
    for (const s of this.live.values()) {
      // an in-process client is alive as long as this process is: its pings are implied
      if (s.heartbeats) s.lastSeen = now;
      else if (now - s.lastSeen > s.timeoutMs) due.push(s);
    }
    if (due.length > 0) this.expireBatches(due, 0);
  }

  /** expires `due[from..]` in batches of bounded work, yielding to the event loop in between */
  private expireBatches(due: EngineSession[], from: number): void {
    let i = from;
    let units = 0;
    while (i < due.length && units < EXPIRY_BATCH_UNITS) {
      const s = due[i++];
      if (s === undefined) break;
      // re-checked: between batches it may have been closed, resumed or pinged
      if (this.live.get(s.sessionId) !== s || s.heartbeats || Date.now() - s.lastSeen <= s.timeoutMs) continue;
      units += 1 + (this.tree().ephemerals.get(s.sessionId)?.size ?? 0);
      this.expire(s);
    }
    this.expiring = i < due.length && !this.closed();
    if (this.expiring) setImmediate(() => this.expireBatches(due, i));
  }
}
