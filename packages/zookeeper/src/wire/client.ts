/**
 * One ZooKeeper session over TCP: the handshake, framing, FIFO xid matching, pings, auth
 * packets, and re-attaching the same session to another ensemble member when the connection
 * drops (§4 of the protocol reference). It knows nothing about znodes or watches beyond
 * handing notifications up and asking which watches to re-register (setWatches) on reconnect.
 */
import net from "node:net";
import { CoordinatorError, errorCodeName, type ErrorCodeName, type SessionState } from "@conifer/coordinator";
import { Backoff, type BackoffOptions, type HostPort } from "@conifer/shared";
import { decodeConnectResponse, encodeConnectRequest, encodeSetWatches, type WatchSnapshot } from "./attach.ts";
import { FrameSplitter, JuteReader, JuteWriter } from "./jute.ts";
import { PendingRequests, type Waiter } from "./pending.ts";
import { OpCode, Xid } from "./records.ts";

export type { WatchSnapshot } from "./attach.ts";

export interface ClientHooks {
  /** a watch notification, with the server path (chroot not stripped) */
  onNotification(type: number, serverPath: string): void;
  /** server paths of the watches to re-register after a reconnect */
  watchSnapshot(): WatchSnapshot;
  onState(state: SessionState): void;
}

/**
 * ZooKeeper's jute.maxbuffer default: a member closes the connection on a request frame longer
 * than this (length prefix not counted), so a setData carries at most 1,048,555 bytes minus
 * its path. Requests that would exceed it are refused here with BAD_ARGUMENTS instead.
 */
export const MAX_FRAME_BYTES = 1_048_575;

/** setTimeout's ceiling: a longer delay overflows and fires after 1 ms */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** pause between two members of the host list: a member that refused is likely down, try the next soon */
const NEXT_HOST_DELAY_MS = 50;
/**
 * Pause after a whole round of the host list failed (full jitter, so clients of a restarting
 * ensemble spread out). Capped at 1 s like the Java client's: the session must re-attach well
 * within its timeout (2 s at the shortest) once a member is back.
 */
const ROUND_BACKOFF: BackoffOptions = { minDelayMs: 300, maxDelayMs: 1_000 };

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
  private socket: net.Socket | null = null;
  private handshakeDone = false;
  private readonly pending = new PendingRequests();
  private auths: { scheme: string; auth: string }[] = [];
  private nextXid = 1;
  private hostIndex: number;
  private lastSend = 0;
  private lastRecv = 0;
  private timer: NodeJS.Timeout | null = null;
  private reconnecting = false;
  /** @internal reconnects held back, as in a network partition (set by ./testing's partition) */
  heldBack = false;
  private lastTick = Date.now();
  private closing = false;
  /** why the session ended when that was not a plain close or expiry (AUTH_FAILED) */
  private endedBy: CoordinatorError | null = null;
  private firstConnect: { resolve(): void; reject(err: Error): void } | null = null;

  constructor(
    private readonly options: ClientOptions,
    private readonly hooks: ClientHooks,
  ) {
    this.negotiatedTimeoutMs = options.timeoutMs;
    this.hostIndex = Math.floor(Math.random() * options.hosts.length);
  }

  /** creates the session; resolves once connected */
  start(initialAuth: { scheme: string; auth: string }[]): Promise<void> {
    this.auths = [...initialAuth];
    return new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(
        () => {
          if (!this.firstConnect) return;
          this.firstConnect = null;
          this.shutdown("closed", "CONNECTION_LOSS");
          reject(
            new CoordinatorError(
              "CONNECTION_LOSS",
              `no ZooKeeper member accepted a session within ${String(this.options.connectDeadlineMs)} ms (members down or no quorum)`,
            ),
          );
        },
        Math.min(this.options.connectDeadlineMs, MAX_TIMER_MS),
      );
      this.firstConnect = {
        resolve: () => {
          clearTimeout(deadline);
          resolve();
        },
        reject: (err) => {
          clearTimeout(deadline);
          reject(err);
        },
      };
      this.timer = setInterval(() => this.tick(), 100);
      this.timer.unref();
      void this.reconnectLoop();
    });
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
      if (this.state === "expired" || this.state === "closed" || this.closing) {
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
      const waiter: Waiter = {
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
      if (this.state === "connected" && this.socket) this.send(op, write, waiter);
      else this.pending.queue({ op, write, waiter, deadline: Date.now() + this.negotiatedTimeoutMs });
    });
  }

  addAuth(scheme: string, auth: string): Promise<void> {
    if (this.state === "expired" || this.state === "closed") {
      return Promise.reject(new CoordinatorError("SESSION_EXPIRED", "session is gone"));
    }
    if (this.state !== "connected" || !this.socket) {
      // remembered and sent on (re)connect, like the Java client
      this.auths.push({ scheme, auth });
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.authSent({
        resolve: () => {
          this.auths.push({ scheme, auth });
          resolve();
        },
        reject,
      });
      this.writeAuth(scheme, auth);
    });
  }

  async close(): Promise<void> {
    if (this.state === "closed" || this.state === "expired") return;
    if (this.state === "connected" && this.socket) {
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
    const socket = this.socket;
    if (!socket) return;
    // handled synchronously, so the state is "disconnected" as soon as this returns
    this.socket = null;
    socket.destroy();
    this.onConnectionLost();
  }

  get connectedTo(): HostPort | null {
    return this.socket && this.state === "connected" ? (this.options.hosts[this.hostIndex] ?? null) : null;
  }

  private send(op: number, write: (w: JuteWriter) => void, waiter: Waiter): void {
    const xid = this.nextXid;
    this.nextXid = this.nextXid >= 0x7fffffff ? 1 : this.nextXid + 1;
    const w = new JuteWriter().int(xid).int(op);
    try {
      write(w);
    } catch (err) {
      waiter.reject(err as Error);
      return;
    }
    const frame = w.frame();
    if (frame.length - 4 > MAX_FRAME_BYTES) {
      // the member would drop the connection (failing every request in flight with it)
      waiter.reject(
        new CoordinatorError(
          "BAD_ARGUMENTS",
          `request is ${String(frame.length - 4)} bytes, more than ZooKeeper's jute.maxbuffer of ${String(MAX_FRAME_BYTES)} bytes${waiter.path ? `: ${waiter.path}` : ""}`,
          waiter.path,
        ),
      );
      return;
    }
    this.pending.sent(xid, waiter);
    this.write(frame);
  }

  private write(frame: Buffer): void {
    this.lastSend = Date.now();
    this.socket?.write(frame);
  }

  private writeAuth(scheme: string, auth: string): void {
    const w = new JuteWriter().int(Xid.auth).int(OpCode.auth).int(0).ustring(scheme).buffer(Buffer.from(auth, "utf8"));
    this.write(w.frame());
  }

  private tick(): void {
    const now = Date.now();
    // when this process itself was stalled (a busy or overloaded machine), replies may be sitting
    // unread in the socket: that is not the member's silence, so don't count it against it
    const stalled = now - this.lastTick > 500;
    this.lastTick = now;
    if (stalled) this.lastRecv = now;
    this.pending.expireQueued(now, "not connected to any ZooKeeper member (members down or no quorum)");
    if (this.state !== "connected" || !this.socket || !this.handshakeDone) return;
    const t = this.negotiatedTimeoutMs;
    if (now - this.lastRecv > (t * 2) / 3) {
      // the member went silent: try another one while the session is still alive
      this.dropConnection();
      return;
    }
    if (now - this.lastSend > t / 3) this.write(new JuteWriter().int(Xid.ping).int(OpCode.ping).frame());
  }

  private async reconnectLoop(): Promise<void> {
    if (this.reconnecting) return;
    this.reconnecting = true;
    try {
      let attempts = 0;
      const rounds = new Backoff(ROUND_BACKOFF);
      while (!this.isTerminal()) {
        if (this.heldBack) {
          await sleep(50);
          continue;
        }
        const hp = this.options.hosts[this.hostIndex];
        // parseConnectString refuses an empty host list, so this only guards a broken caller
        if (!hp) throw new CoordinatorError("BAD_ARGUMENTS", "no ZooKeeper host to connect to");
        const ok = await this.connectOnce(hp);
        if (ok || this.isTerminal()) return;
        this.hostIndex = (this.hostIndex + 1) % this.options.hosts.length;
        attempts++;
        await sleep(attempts % this.options.hosts.length === 0 ? rounds.next() : NEXT_HOST_DELAY_MS);
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
    return new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: hp.host, port: hp.port });
      socket.setNoDelay(true);
      this.socket = socket;
      this.handshakeDone = false;
      let settled = false;
      const settle = (v: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        resolve(v);
      };
      const perHost = Math.min(
        MAX_TIMER_MS,
        Math.max(1000, Math.floor(this.negotiatedTimeoutMs / this.options.hosts.length)),
      );
      const connectTimer = setTimeout(() => socket.destroy(), perHost);
      const frames = new FrameSplitter();
      socket.on("connect", () => {
        this.lastRecv = Date.now();
        this.write(
          encodeConnectRequest({
            lastZxid: this.lastZxid,
            timeoutMs: this.options.timeoutMs,
            sessionId: this.sessionId,
            passwd: this.passwd,
          }),
        );
      });
      socket.on("data", (chunk: Buffer) => {
        this.lastRecv = Date.now();
        try {
          for (const frame of frames.push(chunk)) {
            if (this.socket !== socket) return;
            if (!this.handshakeDone) {
              const ok = this.onHandshake(frame);
              settle(ok);
              if (!ok) return;
            } else {
              this.onFrame(frame);
            }
          }
        } catch (err) {
          // a frame we cannot match or parse: this connection is unusable
          socket.destroy(err as Error);
        }
      });
      socket.on("error", () => {});
      socket.on("close", () => {
        settle(false);
        if (this.socket !== socket) return;
        this.socket = null;
        this.onConnectionLost();
      });
    });
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
    this.handshakeDone = true;
    this.state = "connected";
    // Java client order: auth packets, then setWatches, then the requests queued meanwhile.
    // The first connect resolves only once every auth was accepted: a refused one (an unknown
    // scheme) makes the member drop the connection, and sending it again on every reconnect
    // would only loop, so it ends the session with AUTH_FAILED, as the Java client does.
    let unanswered = this.auths.length;
    for (const a of this.auths) {
      this.pending.authSent({
        resolve: () => {
          if (--unanswered === 0) this.connected();
        },
        reject: (err) => {
          if (!CoordinatorError.is(err, "AUTH_FAILED")) return; // connection lost: sent again on reconnect
          this.shutdown(
            "closed",
            "AUTH_FAILED",
            `authentication with scheme ${JSON.stringify(a.scheme)} failed (AUTH_FAILED); the session is unusable`,
          );
        },
      });
      this.writeAuth(a.scheme, a.auth);
    }
    this.sendSetWatches();
    for (const q of this.pending.takeQueued()) this.send(q.op, q.write, q.waiter);
    if (unanswered === 0) this.connected();
    return true;
  }

  /** the session is attached and authenticated: the first connect resolves, later ones report */
  private connected(): void {
    if (this.firstConnect) {
      const fc = this.firstConnect;
      this.firstConnect = null;
      fc.resolve();
    } else {
      this.hooks.onState("connected");
    }
  }

  /** re-registers the session's watches on the member it just attached to */
  private sendSetWatches(): void {
    for (const frame of encodeSetWatches(this.hooks.watchSnapshot(), this.lastZxid)) this.write(frame);
  }

  private onFrame(frame: Buffer): void {
    const r = new JuteReader(frame);
    const xid = r.int();
    const zxid = r.long();
    const err = r.int();
    if (xid === Xid.notification) {
      const type = r.int();
      r.int(); // keeper state, always SyncConnected from a server
      const path = r.ustring() ?? "";
      this.hooks.onNotification(type, path);
      return;
    }
    if (xid === Xid.ping || xid === Xid.setWatches) return;
    if (xid === Xid.auth) {
      const waiter = this.pending.authReplied();
      if (err === 0) waiter?.resolve();
      else waiter?.reject(new CoordinatorError(codeOf(err), `authentication failed (${codeOf(err)})`));
      return;
    }
    const waiter = this.pending.replied(xid);
    if (zxid > 0n && zxid > this.lastZxid) this.lastZxid = zxid;
    waiter.onReply?.(codeOf(err));
    if (err !== 0) waiter.reject(serverError(err, waiter.path));
    else waiter.resolve(r, zxid);
  }

  private onConnectionLost(): void {
    const wasAttached = this.handshakeDone;
    this.handshakeDone = false;
    this.pending.failSent("connection to ZooKeeper lost; outcome unknown");
    if (this.isTerminal() || this.closing) return;
    // like the Java client, try the next member first: this one just failed us (a failed
    // connection attempt is rotated by the reconnect loop itself)
    if (wasAttached) this.hostIndex = (this.hostIndex + 1) % this.options.hosts.length;
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
    const socket = this.socket;
    this.socket = null;
    socket?.destroy();
    this.pending.failAll(failWith, message);
    if (this.firstConnect && (state === "expired" || failWith === "AUTH_FAILED")) {
      const fc = this.firstConnect;
      this.firstConnect = null;
      fc.reject(new CoordinatorError(failWith, state === "expired" ? "session expired during connect" : message));
    }
    this.hooks.onState(state);
  }
}

/** the error for a reply's err field; numbers without a Coordinator name keep their number in the message */
function serverError(err: number, path: string | undefined): CoordinatorError {
  const code = codeOf(err);
  const known = code !== "SYSTEM_ERROR" || err === -1;
  return new CoordinatorError(
    code,
    `${code}${known ? "" : ` (ZooKeeper error ${err})`}${path ? `: ${path}` : ""}`,
    path,
  );
}

function codeOf(err: number): ErrorCodeName {
  return errorCodeName(err);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
