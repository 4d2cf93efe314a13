/**
 * Bookkeeping of a session's outstanding work: requests sent and awaiting their reply (answered
 * strictly in FIFO order, under xids handed out here), requests queued while disconnected (each
 * with a deadline), and auth packets awaiting their out-of-band reply.
 */
import { CoordinatorError, type ErrorCodeName } from "@conifer/coordinator";
import type { JuteReader, JuteWriter } from "./jute.ts";
import { codeOf, encodeRequest, serverError } from "./messages.ts";

export interface Waiter {
  path: string | undefined;
  /**
   * called with the reply's code as the reply is read, before the next frame is: the session
   * registers (or drops) watches here, so a notification right behind the reply finds them
   */
  onReply?: (code: ErrorCodeName) => void;
  /** `zxid`: the reply header's, the zxid a write was applied at */
  resolve(r: JuteReader, zxid: bigint): void;
  reject(err: Error): void;
}

export interface QueuedRequest {
  op: number;
  write: (w: JuteWriter) => void;
  waiter: Waiter;
  deadline: number;
}

/** the waiter of a request whose reply body `read` turns into the promise's value */
export function waiterFor<T>(
  read: (r: JuteReader, zxid: bigint) => T,
  resolve: (value: T) => void,
  reject: (err: Error) => void,
  path: string | undefined,
  onReply: ((code: ErrorCodeName) => void) | undefined,
): Waiter {
  return {
    path,
    onReply,
    resolve: (r: JuteReader, zxid: bigint) => {
      try {
        resolve(read(r, zxid));
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    },
    reject,
  };
}

interface AuthWaiter {
  resolve(): void;
  reject(err: Error): void;
}

export class PendingRequests {
  private inflight: { xid: number; waiter: Waiter }[] = [];
  private queued: QueuedRequest[] = [];
  private auths: AuthWaiter[] = [];
  private nextXid = 1;

  /** the frame of a request under the next xid, recorded as sent; null (waiter rejected) when it cannot be framed */
  frame(op: number, write: (w: JuteWriter) => void, waiter: Waiter): Buffer | null {
    const xid = this.nextXid;
    this.nextXid = this.nextXid >= 0x7fffffff ? 1 : this.nextXid + 1;
    let frame: Buffer;
    try {
      frame = encodeRequest(xid, op, write, waiter.path);
    } catch (err) {
      waiter.reject(err as Error);
      return null;
    }
    this.sent(xid, waiter);
    return frame;
  }

  /** hands a reply (header fields, `r` at its body) to the oldest request's waiter */
  reply(xid: number, zxid: bigint, err: number, r: JuteReader): void {
    const waiter = this.replied(xid);
    waiter.onReply?.(codeOf(err));
    if (err !== 0) waiter.reject(serverError(err, waiter.path));
    else waiter.resolve(r, zxid);
  }

  /** hands an auth reply to the oldest auth packet's waiter */
  authReply(err: number): void {
    const waiter = this.authReplied();
    if (err === 0) waiter?.resolve();
    else waiter?.reject(new CoordinatorError(codeOf(err), `authentication failed (${codeOf(err)})`));
  }

  sent(xid: number, waiter: Waiter): void {
    this.inflight.push({ xid, waiter });
  }

  /** the waiter of the oldest request; throws when the reply's xid is not that one */
  replied(xid: number): Waiter {
    const head = this.inflight.shift();
    if (!head || head.xid !== xid) throw new Error(`xid out of order: got ${xid}, expected ${head?.xid}`);
    return head.waiter;
  }

  queue(q: QueuedRequest): void {
    this.queued.push(q);
  }

  /** takes every queued request, in issue order, to send it now */
  takeQueued(): QueuedRequest[] {
    return this.queued.splice(0);
  }

  /** fails queued requests whose deadline passed */
  expireQueued(now: number, message: string): void {
    const keep: QueuedRequest[] = [];
    for (const q of this.queued) {
      if (q.deadline > now) keep.push(q);
      else q.waiter.reject(new CoordinatorError("CONNECTION_LOSS", message, q.waiter.path));
    }
    this.queued = keep;
  }

  authSent(waiter: AuthWaiter): void {
    this.auths.push(waiter);
  }

  authReplied(): AuthWaiter | undefined {
    return this.auths.shift();
  }

  /** the connection dropped: what was sent has an unknown outcome; queued requests stay */
  failSent(message: string): void {
    for (const { waiter } of this.inflight.splice(0))
      waiter.reject(new CoordinatorError("CONNECTION_LOSS", message, waiter.path));
    for (const a of this.auths.splice(0))
      a.reject(new CoordinatorError("CONNECTION_LOSS", "connection lost during auth"));
  }

  /** the session ended: everything fails with `code` */
  failAll(code: ErrorCodeName, message: string): void {
    const waiters = [...this.inflight.splice(0).map((x) => x.waiter), ...this.queued.splice(0).map((q) => q.waiter)];
    for (const w of waiters) w.reject(new CoordinatorError(code, message, w.path));
    for (const a of this.auths.splice(0)) a.reject(new CoordinatorError(code, message));
  }
}
