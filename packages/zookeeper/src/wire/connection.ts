/**
 * One TCP connection to one ensemble member, as the session's WireClient uses it: the socket,
 * its framing, the first frame read as the handshake's ConnectResponse, and the liveness clock
 * (last frame sent, last frame received) the session's tick reads to ping an idle member and
 * to leave a silent one. The session identity and the outstanding requests are not here: they
 * outlive a connection, re-attached to the next member.
 */
import net from "node:net";
import type { HostPort } from "@conifer/shared";
import { FrameSplitter, JuteWriter } from "./jute.ts";
import { OpCode, Xid } from "./records.ts";

export interface ConnectionEvents {
  /** the first frame (the ConnectResponse); false ends the attempt (the session is gone) */
  onHandshake(frame: Buffer): boolean;
  /** right after an accepted handshake, with `attached` already true */
  onAttached(): void;
  /** every later frame, in order */
  onFrame(frame: Buffer): void;
  /** the connection closed by itself (member gone, timeout, bad frame); not after `drop()` */
  onClose(): void;
}

export class MemberConnection {
  private readonly socket: net.Socket;
  /** the member answered the handshake: the session is attached through this connection */
  attached = false;
  private dropped = false;
  lastSend = 0;
  lastRecv = Date.now();
  /** resolves true once the handshake succeeded, false when the connection closed first */
  readonly handshake: Promise<boolean>;

  /**
   * @param connectRequest the ConnectRequest frame, sent as soon as the socket connects
   * @param attemptMs how long connecting and the handshake may take before the attempt is given up
   */
  constructor(hp: HostPort, connectRequest: Buffer, attemptMs: number, events: ConnectionEvents) {
    const socket = net.connect({ host: hp.host, port: hp.port });
    socket.setNoDelay(true);
    this.socket = socket;
    this.handshake = new Promise<boolean>((resolve) => {
      let settled = false;
      const settle = (v: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        resolve(v);
      };
      const connectTimer = setTimeout(() => socket.destroy(), attemptMs);
      const frames = new FrameSplitter();
      socket.on("connect", () => {
        this.lastRecv = Date.now();
        this.write(connectRequest);
      });
      socket.on("data", (chunk: Buffer) => {
        this.lastRecv = Date.now();
        try {
          for (const frame of frames.push(chunk)) {
            if (this.dropped) return;
            if (!this.attached) {
              const ok = events.onHandshake(frame);
              if (ok) {
                this.attached = true;
                events.onAttached();
              }
              settle(ok);
              if (!ok) return;
            } else {
              events.onFrame(frame);
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
        if (this.dropped) return;
        this.dropped = true;
        events.onClose();
      });
    });
  }

  write(frame: Buffer): void {
    this.lastSend = Date.now();
    this.socket.write(frame);
  }

  /**
   * On the session's tick while attached: false when the member was silent for two thirds of
   * the session timeout (time to leave it while the session is still alive); else it pings the
   * member when nothing was sent for a third of it.
   */
  keepAlive(now: number, timeoutMs: number): boolean {
    if (now - this.lastRecv > (timeoutMs * 2) / 3) return false;
    if (now - this.lastSend > timeoutMs / 3) this.write(new JuteWriter().int(Xid.ping).int(OpCode.ping).frame());
    return true;
  }

  /** closes the connection on the session's behalf: no `onClose`, no frame handled after this */
  drop(): void {
    this.dropped = true;
    this.socket.destroy();
  }
}
