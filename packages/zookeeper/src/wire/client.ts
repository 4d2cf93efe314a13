/**
 * One ZooKeeper session over TCP: the handshake, FIFO xid matching, pings, auth packets, and
 * re-attaching the same session to another ensemble member when the connection drops (§4 of
 * the protocol reference). One connection at a time is a MemberConnection; which member comes
 * next is MemberRotation's. It knows nothing about znodes or watches beyond handing
 * notifications up and asking which watches to re-register (setWatches) on reconnect.
 */
import { CoordinatorError, type ErrorCodeName, type SessionState } from "@conifer/coordinator";
import type { HostPort } from "@conifer/shared";
import { SessionAuths, type Credential } from "./auths.ts";
import { decodeConnectResponse, encodeConnectRequest, encodeSetWatches, type WatchSnapshot } from "./attach.ts";
import { MemberConnection } from "./connection.ts";
import { FirstConnect } from "./first-connect.ts";
import { JuteWriter, type JuteReader } from "./jute.ts";
import { MAX_TIMER_MS, MemberRotation, sleep } from "./members.ts";
import { readServerFrame } from "./messages.ts";
import { PendingRequests, waiterFor, type Waiter } from "./pending.ts";
import { OpCode } from "./records.ts";

export type { WatchSnapshot } from "./attach.ts";

export interface ClientHooks {
  /** a watch notification, with the server path (chroot not stripped) */
  onNotification(type: number, serverPath: string): void;
  /** server paths of the watches to re-register after a reconnect */
  watchSnapshot(): WatchSnapshot;
  onState(state: SessionState): void;
}

export interface ClientOptions {
  hosts: HostPort[];
  timeoutMs: number;
  /** how long the first session creation may take before failing with CONNECTION_LOSS */
  connectDeadlineMs: number;
}

export class WireClient {
  sessionId = 0n;
  negotiatedTimeoutMs: number;
  state: SessionState | "connecting" = "connecting";
  private passwd: Buffer = Buffer.alloc(16);
  private lastZxid = 0n;
  private conn: MemberConnection | null = null;
  private readonly pending = new PendingRequests();
  private readonly auths = new SessionAuths(this.pending, (frame) => this.write(frame));
  private readonly members: MemberRotation;
  private timer: NodeJS.Timeout | null = null;
  private reconnecting = false;
  /** @internal reconnects held back, as in a network partition (set by ./testing's partition) */
  heldBack = false;
  private lastTick = Date.now();
  private closing = false;
  /** why the session ended when that was not a plain close or expiry (AUTH_FAILED) */
  private endedBy: CoordinatorError | null = null;
  private firstConnect: FirstConnect | null = null;

  constructor(
    private readonly options: ClientOptions,
    private readonly hooks: ClientHooks,
  ) {
    this.negotiatedTimeoutMs = options.timeoutMs;
    this.members = new MemberRotation(options.hosts);
  }

  /** creates the session; resolves once connected */
  start(initialAuth: Credential[]): Promise<void> {
    this.auths.reset(initialAuth);
    this.firstConnect = new FirstConnect(this.options.connectDeadlineMs, () =>
      this.shutdown("closed", "CONNECTION_LOSS"),
    );
    this.timer = setInterval(() => this.tick(), 100);
    this.timer.unref();
    void this.reconnectLoop();
    return this.firstConnect.promise;
  }

  /**
   * sends a request (or queues it while disconnected); rejects with the server's error code.
   * `onReply` runs with the reply's code as soon as the reply is read, in reply order, before
   * any later frame (such as a notification in the same TCP chunk) is handled.
   * `read` also gets the reply header's zxid: for a write, the zxid it was applied at.
   */
  request<T>(
    op: number,
    write: (w: JuteWriter) => void,
    read: (r: JuteReader, zxid: bigint) => T,
    path?: string,
    onReply?: (code: ErrorCodeName) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.isTerminal() || this.closing) {
        const ended = this.endedBy;
        reject(
          ended
            ? new CoordinatorError(ended.code, ended.message, path)
            : new CoordinatorError(
                "SESSION_EXPIRED",
                `session 0x${this.sessionId.toString(16)} is ${this.state}`,
                path,
              ),
        );
        return;
      }
      const waiter = waiterFor(read, resolve, reject, path, onReply);
      if (this.state === "connected" && this.conn) this.send(op, write, waiter);
      else this.pending.queue({ op, write, waiter, deadline: Date.now() + this.negotiatedTimeoutMs });
    });
  }

  addAuth(scheme: string, auth: string): Promise<void> {
    if (this.state === "expired" || this.state === "closed") {
      return Promise.reject(new CoordinatorError("SESSION_EXPIRED", "session is gone"));
    }
    if (this.state === "connected" && this.conn) return this.auths.send({ scheme, auth });
    this.auths.remember({ scheme, auth });
    return Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.isTerminal()) return;
    if (this.state === "connected" && this.conn) {
      const closeReply = this.request(
        OpCode.closeSession,
        () => {},
        () => undefined,
      ).catch(() => undefined);
      this.closing = true;
      let timeout: NodeJS.Timeout | undefined;
      const wait = Math.min(this.negotiatedTimeoutMs, MAX_TIMER_MS);
      await Promise.race([closeReply, new Promise((r) => (timeout = setTimeout(r, wait)))]);
      clearTimeout(timeout);
    }
    this.shutdown("closed", "SESSION_EXPIRED");
  }

  /** drops the current connection; the session re-attaches to the next member in the list */
  dropConnection(): void {
    const conn = this.conn;
    if (!conn) return;
    // handled synchronously, so the state is "disconnected" as soon as this returns
    this.conn = null;
    conn.drop();
    this.onConnectionLost(conn.attached);
  }

  get connectedTo(): HostPort | null {
    return this.conn && this.state === "connected" ? (this.members.current ?? null) : null;
  }

  private send(op: number, write: (w: JuteWriter) => void, waiter: Waiter): void {
    const frame = this.pending.frame(op, write, waiter);
    if (frame) this.write(frame);
  }

  private write(frame: Buffer): void {
    this.conn?.write(frame);
  }

  private tick(): void {
    const now = Date.now();
    // when this process itself was stalled (a busy or overloaded machine), replies may be sitting
    // unread in the socket: that is not the member's silence, so don't count it against it
    const stalled = now - this.lastTick > 500;
    this.lastTick = now;
    const conn = this.conn;
    if (stalled && conn) conn.lastRecv = now;
    this.pending.expireQueued(now, "not connected to any ZooKeeper member (members down or no quorum)");
    if (this.state !== "connected" || !conn?.attached) return;
    // the member went silent: try another one while the session is still alive
    if (!conn.keepAlive(now, this.negotiatedTimeoutMs)) this.dropConnection();
  }

  private async reconnectLoop(): Promise<void> {
    if (this.reconnecting) return;
    this.reconnecting = true;
    try {
      const pacer = this.members.pacer();
      while (!this.isTerminal()) {
        if (this.heldBack) {
          await sleep(50);
          continue;
        }
        const hp = this.members.current;
        // parseConnectString refuses an empty host list, so this only guards a broken caller
        if (!hp) throw new CoordinatorError("BAD_ARGUMENTS", "no ZooKeeper host to connect to");
        const ok = await this.connectOnce(hp);
        if (ok || this.isTerminal()) return;
        this.members.next();
        await sleep(pacer.pause());
      }
    } finally {
      this.reconnecting = false;
    }
  }

  private isTerminal(): boolean {
    return this.state === "expired" || this.state === "closed";
  }

  /** one connection attempt; resolves true once the handshake succeeded */
  private connectOnce(hp: HostPort): Promise<boolean> {
    const request = encodeConnectRequest({
      lastZxid: this.lastZxid,
      timeoutMs: this.options.timeoutMs,
      sessionId: this.sessionId,
      passwd: this.passwd,
    });
    const conn = new MemberConnection(hp, request, this.members.attemptMs(this.negotiatedTimeoutMs), {
      onHandshake: (frame) => this.onHandshake(frame),
      onAttached: () => this.onAttached(),
      onFrame: (frame) => this.onFrame(frame),
      onClose: () => {
        if (this.conn !== conn) return;
        this.conn = null;
        this.onConnectionLost(conn.attached);
      },
    });
    this.conn = conn;
    return conn.handshake;
  }

  private onHandshake(frame: Buffer): boolean {
    const { timeOut, sessionId, passwd } = decodeConnectResponse(frame);
    if (timeOut <= 0) {
      this.shutdown("expired", "SESSION_EXPIRED");
      return false;
    }
    this.negotiatedTimeoutMs = timeOut;
    this.sessionId = sessionId;
    this.passwd = passwd;
    return true;
  }

  /** the handshake was accepted: the session is attached to this member */
  private onAttached(): void {
    this.state = "connected";
    // Java client order: auth packets, then setWatches, then the requests queued meanwhile.
    // The first connect resolves only once every auth was accepted: a refused one (an unknown
    // scheme) makes the member drop the connection, and sending it again on every reconnect
    // would only loop, so it ends the session with AUTH_FAILED, as the Java client does.
    const none = this.auths.sendAll(
      () => this.connected(),
      (scheme) =>
        this.shutdown(
          "closed",
          "AUTH_FAILED",
          `authentication with scheme ${JSON.stringify(scheme)} failed (AUTH_FAILED); the session is unusable`,
        ),
    );
    // re-registers the session's watches on the member it just attached to
    for (const frame of encodeSetWatches(this.hooks.watchSnapshot(), this.lastZxid)) this.write(frame);
    for (const q of this.pending.takeQueued()) this.send(q.op, q.write, q.waiter);
    if (none) this.connected();
  }

  /** the session is attached and authenticated: the first connect resolves, later ones report */
  private connected(): void {
    if (!this.firstConnect?.resolve()) this.hooks.onState("connected");
  }

  private onFrame(frame: Buffer): void {
    const f = readServerFrame(frame);
    if (f.kind === "notification") this.hooks.onNotification(f.type, f.path);
    else if (f.kind === "auth") this.pending.authReply(f.err);
    else if (f.kind === "reply") {
      this.pending.reply(f.xid, f.zxid, f.err, f.r);
      if (f.zxid > 0n && f.zxid > this.lastZxid) this.lastZxid = f.zxid;
    }
  }

  private onConnectionLost(wasAttached: boolean): void {
    this.pending.failSent("connection to ZooKeeper lost; outcome unknown");
    if (this.isTerminal() || this.closing) return;
    // like the Java client, try the next member first: this one just failed us (a failed
    // connection attempt is rotated by the reconnect loop itself)
    if (wasAttached) this.members.next();
    if (this.state === "connected") {
      this.state = "disconnected";
      this.hooks.onState("disconnected");
    }
    void this.reconnectLoop();
  }

  private shutdown(state: "expired" | "closed", failWith: ErrorCodeName, message = `session ${state}`): void {
    if (this.isTerminal()) return;
    this.state = state;
    if (failWith === "AUTH_FAILED") this.endedBy = new CoordinatorError(failWith, message);
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const conn = this.conn;
    this.conn = null;
    conn?.drop();
    this.pending.failAll(failWith, message);
    if (state === "expired" || failWith === "AUTH_FAILED")
      this.firstConnect?.reject(
        new CoordinatorError(failWith, state === "expired" ? "session expired during connect" : message),
      );
    this.hooks.onState(state);
  }
}
