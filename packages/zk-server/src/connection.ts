/**
 * One client connection: the handshake (new session or re-attach with id + password), then
 * frames in arrival order, replies written in that same order (auth answered at once, as
 * ZooKeeper does), notifications as the engine delivers them. Anything malformed or oversize
 * closes this connection only; a client that stops reading is cut off once its unread output
 * passes the bound.
 */
import type net from "node:net";
import { CoordinatorError, ErrorCode, EventType } from "@conifer/coordinator";
import type { WatchEvent } from "@conifer/coordinator";
import {
  FrameSplitter,
  JuteReader,
  OpCode,
  Xid,
  decodeConnectRequest,
  encodeConnectResponse,
  readSetWatches,
  replyHeader,
} from "@conifer/zookeeper/wire";
import type { ConnectRequest } from "@conifer/zookeeper/wire";
import type { ResolvedZkOptions } from "./options.ts";
import type { Outcome, Reply } from "./replies.ts";
import { UNKNOWN, handleRequest } from "./requests.ts";
import type { Attachment, SessionTable, WireSession } from "./sessions.ts";
import { restoreWatches } from "./set-watches.ts";
import type { ServerCounters } from "./stats.ts";

/** KeeperState SyncConnected, the only state a server puts in a notification */
const SYNC_CONNECTED = 3;

/** what `cons` shows per connection */
export interface ConnectionInfo {
  remote: string;
  queued: number;
  recved: number;
  sent: number;
  sessionId: bigint | null;
  lastOp: string;
  established: number;
  timeoutMs: number;
  lastCxid: number;
  lastZxid: bigint;
  lastResponse: number;
  lastLatency: number;
  minLatency: number;
  avgLatency: number;
  maxLatency: number;
}

interface Slot {
  frame: Buffer | null;
  ready: boolean;
  after?: () => void;
  /** the engine's zxid once the request was issued: what state its answer reflects */
  issuedAt: bigint;
}

const LAST_OP: Record<number, string> = {
  [OpCode.create]: "CREA",
  [OpCode.create2]: "CREA",
  [OpCode.createContainer]: "CREA",
  [OpCode.createTTL]: "CREA",
  [OpCode.delete]: "DELE",
  [OpCode.exists]: "EXIS",
  [OpCode.getData]: "GETD",
  [OpCode.setData]: "SETD",
  [OpCode.getACL]: "GETA",
  [OpCode.setACL]: "SETA",
  [OpCode.getChildren]: "GETC",
  [OpCode.getChildren2]: "GETC",
  [OpCode.sync]: "SYNC",
  [OpCode.ping]: "PING",
  [OpCode.multi]: "MULT",
  [OpCode.multiRead]: "MLTR",
  [OpCode.closeSession]: "CLOS",
  [OpCode.setWatches]: "SETW",
  [OpCode.setWatches2]: "STW2",
  [OpCode.addWatch]: "ADDW",
  [OpCode.auth]: "AUTH",
};

export class Connection implements Attachment {
  ws: WireSession | null = null;
  private readonly frames: FrameSplitter;
  private backlog: Buffer[] | null = null;
  private readonly slots: Slot[] = [];
  private handshakeTimer: NodeJS.Timeout | null;
  private closingSession = false;
  private closed = false;
  readonly info: ConnectionInfo;
  private latencySum = 0;
  private latencyCount = 0;

  constructor(
    readonly socket: net.Socket,
    readonly ip: string,
    private readonly opts: ResolvedZkOptions,
    private readonly table: SessionTable,
    private readonly counters: ServerCounters,
    first: Buffer,
  ) {
    this.frames = new FrameSplitter(opts.maxBuffer);
    const now = Date.now();
    this.info = {
      remote: `${ip}:${socket.remotePort ?? 0}`,
      queued: 0,
      recved: 0,
      sent: 0,
      sessionId: null,
      lastOp: "NA",
      established: now,
      timeoutMs: 0,
      lastCxid: 0,
      lastZxid: 0n,
      lastResponse: now,
      lastLatency: 0,
      minLatency: 0,
      avgLatency: 0,
      maxLatency: 0,
    };
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
    const zxid = this.opts.engine.deliveringZxid;
    // The engine releases answers in issue order, but ours are settled a few microtasks later, so
    // an event may arrive while the reply of the read that set its watch is still in `slots`.
    // ZooKeeper writes the event after the replies of requests issued before the write and before
    // the replies of those issued after it (which already see the new data): slot it there.
    const at = zxid === null ? -1 : this.slots.findIndex((slot) => slot.issuedAt >= zxid);
    if (zxid === null || at === 0 || this.slots.length === 0) {
      this.write(w.frame());
      return;
    }
    const slot: Slot = { frame: w.frame(), ready: true, issuedAt: zxid };
    if (at === -1) this.slots.push(slot);
    else this.slots.splice(at, 0, slot);
    this.info.queued++;
    this.flush();
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
        this.write(
          encodeConnectResponse({ timeOut: 0, sessionId: 0n, passwd: Buffer.alloc(16), readOnly: notReadOnly(req) }),
        );
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
    this.write(
      encodeConnectResponse({
        timeOut: ws.session.timeoutMs,
        sessionId: ws.id,
        passwd: ws.passwd,
        readOnly: notReadOnly(req),
      }),
    );
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
        this.onAuth(ws, r);
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
      this.enqueue(xid, outcome, started);
    } catch {
      // a request record we cannot read: ZooKeeper drops the connection
      this.destroy();
    }
  }

  private onAuth(ws: WireSession, r: JuteReader): void {
    r.int(); // AuthPacket.type, always 0
    const scheme = r.ustring() ?? "";
    const auth = (r.buffer() ?? Buffer.alloc(0)).toString("utf8");
    void ws.session.addAuth(scheme, auth).then(
      () => {
        this.write(replyHeader(Xid.auth, 0n, 0).frame());
      },
      (err: unknown) => {
        const code = err instanceof CoordinatorError ? err.codeNumber : ErrorCode.AUTH_FAILED;
        this.write(replyHeader(Xid.auth, 0n, code).frame());
        if (code === ErrorCode.AUTH_FAILED) this.end();
      },
    );
  }

  private onCloseSession(ws: WireSession, xid: number): void {
    this.closingSession = true;
    const p = ws.session.close();
    const zxid = this.opts.engine.lastZxid;
    this.enqueue(
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

  // ---- output, in request order ----

  private enqueue(xid: number, outcome: Reply | Promise<Reply>, started: number, after?: () => void): void {
    const slot: Slot = { frame: null, ready: false, after, issuedAt: this.opts.engine.lastZxid };
    this.slots.push(slot);
    this.info.queued++;
    const settle = (rep: Reply) => {
      const w = replyHeader(xid, rep.zxid, rep.err);
      if (rep.err === 0 && rep.body) rep.body(w);
      slot.frame = w.frame();
      slot.ready = true;
      this.info.lastZxid = rep.zxid;
      this.latency(Date.now() - started);
      this.flush();
    };
    if (outcome instanceof Promise)
      outcome.then(settle, () => {
        this.destroy();
      });
    else settle(outcome);
  }

  /** closed, or closing its session: what the client sends now is not read any more */
  private stopped(): boolean {
    return this.closed || this.closingSession;
  }

  private flush(): void {
    for (let slot = this.slots[0]; slot?.ready; slot = this.slots[0]) {
      this.slots.shift();
      this.info.queued--;
      if (slot.frame) this.write(slot.frame);
      slot.after?.();
    }
  }

  private latency(ms: number): void {
    const i = this.info;
    i.lastLatency = ms;
    i.lastResponse = Date.now();
    i.minLatency = this.latencyCount === 0 ? ms : Math.min(i.minLatency, ms);
    i.maxLatency = Math.max(i.maxLatency, ms);
    this.latencySum += ms;
    this.latencyCount++;
    i.avgLatency = this.latencySum / this.latencyCount;
    this.counters.latency(ms);
  }

  private write(frame: Buffer): void {
    if (this.closed) return;
    this.socket.write(frame);
    this.info.sent++;
    this.counters.sent++;
    // a client that does not read must not make us hold its replies forever
    if (this.socket.writableLength > this.opts.maxOutputBytes) this.destroy();
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

/**
 * A standalone server is never read-only: like ZooKeeper 3.8 it answers readOnly = false to a
 * client that sent the flag (even readOnly = true, refused or not), and omits it otherwise.
 */
function notReadOnly(req: ConnectRequest): false | undefined {
  return req.readOnly === undefined ? undefined : false;
}
