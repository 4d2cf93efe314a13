/**
 * One client connection: the handshake (new session or re-attach with id + password), then
 * frames in arrival order, replies written in that same order (auth answered at once, as
 * ZooKeeper does), notifications as the engine delivers them. Anything malformed or oversize
 * closes this connection only; a client that stops reading is cut off once its unread output
 * passes the bound (output.ts, which also gathers one turn's frames into one write). The
 * ConnectResponse and auth answers are handshake.ts.
 */
import type net from "node:net";
import { ErrorCode, EventType } from "@conifer/coordinator";
import type { WatchEvent } from "@conifer/coordinator";
import {
  FrameSplitter,
  JuteReader,
  OpCode,
  Xid,
  decodeConnectRequest,
  readSetWatches,
  replyHeader,
} from "@conifer/zookeeper/wire";
import type { ConnectRequest } from "@conifer/zookeeper/wire";
import { LAST_OP, LatencyTracker, newConnectionInfo } from "./connection-info.ts";
import type { ConnectionInfo } from "./connection-info.ts";
import type { ResolvedZkOptions } from "./options.ts";
import type { Outcome, Reply } from "./replies.ts";
import type { NotificationPacer } from "./notification-pacer.ts";
import { Output } from "./output.ts";
import { answerAuth, expiredResponse, sessionResponse } from "./handshake.ts";
import { ReplyQueue } from "./reply-queue.ts";
import { UNKNOWN, handleRequest } from "./requests.ts";
import type { Attachment, SessionTable, WireSession } from "./sessions.ts";
import { restoreWatches } from "./set-watches.ts";
import type { ServerCounters } from "./stats.ts";

/** KeeperState SyncConnected, the only state a server puts in a notification */
const SYNC_CONNECTED = 3;

export class Connection implements Attachment {
  ws: WireSession | null = null;
  private readonly frames: FrameSplitter;
  private backlog: Buffer[] | null = null;
  private readonly replies: ReplyQueue;
  private readonly output: Output;
  private handshakeTimer: NodeJS.Timeout | null;
  private closingSession = false;
  private closed = false;
  readonly info: ConnectionInfo;

  constructor(
    readonly socket: net.Socket,
    readonly ip: string,
    private readonly opts: ResolvedZkOptions,
    private readonly table: SessionTable,
    private readonly counters: ServerCounters,
    pacer: NotificationPacer,
    first: Buffer,
  ) {
    this.frames = new FrameSplitter(opts.maxBuffer);
    this.info = newConnectionInfo(`${ip}:${socket.remotePort ?? 0}`, Date.now());
    this.output = new Output(socket, opts.maxOutputBytes, this.info, counters, () => {
      this.destroy();
    });
    this.replies = new ReplyQueue(
      opts.engine,
      this.info,
      new LatencyTracker(this.info, counters),
      pacer,
      (frame) => {
        this.write(frame);
      },
      () => {
        this.destroy();
      },
    );
    this.handshakeTimer = setTimeout(() => {
      this.destroy();
    }, opts.connectTimeoutMs);
    this.handshakeTimer.unref();
    socket.on("data", (chunk: Buffer) => {
      this.onData(chunk);
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      this.onClose();
    });
    this.onData(first);
  }

  // ---- Attachment ----

  notify(event: WatchEvent): void {
    if (this.closed) return;
    const w = replyHeader(Xid.notification, -1n, 0).int(EventType[event.type]).int(SYNC_CONNECTED).ustring(event.path);
    this.replies.notify(w.frame());
  }

  sessionEnded(): void {
    // a closeSession of our own: its reply ends the connection once written
    if (!this.closingSession) this.end();
  }

  // ---- input ----

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    let frames: Buffer[];
    try {
      frames = this.frames.push(chunk);
    } catch {
      // negative or over jute.maxbuffer: ZooKeeper closes the connection
      this.destroy();
      return;
    }
    for (const frame of frames) {
      if (this.stopped()) return;
      if (this.backlog) this.backlog.push(frame);
      else if (!this.ws) this.onConnect(frame);
      else this.onFrame(frame);
    }
  }

  private onConnect(frame: Buffer): void {
    let req: ConnectRequest;
    try {
      req = decodeConnectRequest(frame);
    } catch {
      this.destroy();
      return;
    }
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
    const engine = this.opts.engine;
    // a client that has seen a newer zxid than ours must look for another server
    if (req.lastZxidSeen > engine.lastZxid) {
      this.destroy();
      return;
    }
    if (req.sessionId !== 0n) {
      const ws = this.table.find(req.sessionId, req.passwd);
      if (!ws) {
        this.write(expiredResponse(req));
        this.end();
        return;
      }
      this.attach(ws, req);
      return;
    }
    this.backlog = [];
    this.table.create(req.timeOut, this.ip).then(
      (ws) => {
        if (this.closed) return; // the client left: the session expires on its own
        this.attach(ws, req);
        const queued = this.backlog ?? [];
        this.backlog = null;
        for (const f of queued) {
          if (this.stopped()) break;
          this.onFrame(f);
        }
      },
      () => {
        this.destroy();
      },
    );
  }

  private attach(ws: WireSession, req: ConnectRequest): void {
    const previous = ws.attachment;
    ws.attachment = this;
    if (previous instanceof Connection) previous.replaced();
    this.ws = ws;
    this.opts.engine.touch(ws.session);
    this.info.sessionId = ws.id;
    this.info.timeoutMs = ws.session.timeoutMs;
    this.write(sessionResponse(ws, req));
  }

  /** the session re-attached through another connection: this one closes, keeping the session */
  private replaced(): void {
    this.ws = null;
    this.end();
  }

  private onFrame(frame: Buffer): void {
    const ws = this.ws;
    if (!ws) return;
    const started = Date.now();
    let xid: number;
    let op: number;
    const r = new JuteReader(frame);
    try {
      xid = r.int();
      op = r.int();
    } catch {
      this.destroy();
      return;
    }
    this.opts.engine.touch(ws.session);
    this.info.recved++;
    this.counters.received++;
    this.info.lastOp = LAST_OP[op] ?? "NA";
    if (xid > 0) this.info.lastCxid = xid;
    try {
      if (op === OpCode.auth) {
        answerAuth(
          ws,
          r,
          (f) => {
            this.write(f);
          },
          () => {
            this.end();
          },
        );
        return;
      }
      if (op === OpCode.closeSession) {
        this.onCloseSession(ws, xid);
        return;
      }
      let outcome: Outcome | typeof UNKNOWN;
      if (op === OpCode.setWatches || op === OpCode.setWatches2) {
        const { relativeZxid, watches } = readSetWatches(r, op === OpCode.setWatches2);
        restoreWatches(this.opts.engine, ws, relativeZxid, watches);
        outcome = { err: 0, zxid: this.opts.engine.lastZxid };
      } else outcome = handleRequest(this.opts.engine, ws, op, r);
      if (outcome === UNKNOWN) {
        this.write(replyHeader(xid, -1n, ErrorCode.UNIMPLEMENTED).frame());
        this.end();
        return;
      }
      if (outcome === null) return;
      this.replies.enqueue(xid, outcome, started);
    } catch {
      // a request record we cannot read: ZooKeeper drops the connection
      this.destroy();
    }
  }

  private onCloseSession(ws: WireSession, xid: number): void {
    this.closingSession = true;
    const p = ws.session.close();
    const zxid = this.opts.engine.lastZxid;
    this.replies.enqueue(
      xid,
      p.then(
        (): Reply => ({ err: 0, zxid }),
        (): Reply => ({ err: 0, zxid }),
      ),
      Date.now(),
      () => {
        this.end();
      },
    );
  }

  /** closed, or closing its session: what the client sends now is not read any more */
  private stopped(): boolean {
    return this.closed || this.closingSession;
  }

  private write(frame: Buffer): void {
    if (!this.closed) this.output.write(frame);
  }

  // ---- teardown ----

  /** closes after what has been written so far */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.end();
    this.socket.destroySoon();
  }

  destroy(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private onClose(): void {
    this.closed = true;
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    const ws = this.ws;
    this.ws = null;
    if (ws) this.table.detach(ws, this);
    this.counters.closed(this);
  }
}
