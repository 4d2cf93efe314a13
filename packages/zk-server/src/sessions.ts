/**
 * The wire sessions: engine sessions (one engine, one truth) plus what the wire adds to them,
 * a 16-byte password for re-attaching after a dropped connection and the connection the
 * session is attached to now. A session outlives its connection until the engine expires it
 * (no frame for its negotiated timeout).
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Session, WatchEvent } from "@conifer/coordinator";
import type { Engine } from "@conifer/engine";

/** what a WireSession needs from the connection it is attached to */
export interface Attachment {
  notify(event: WatchEvent): void;
  /** the session ended (expired or closed elsewhere): the connection closes */
  sessionEnded(): void;
}

export class WireSession {
  readonly passwd = randomBytes(16);
  attachment: Attachment | null = null;
  /**
   * The one watcher this session registers with the engine for every watch it holds: the
   * engine folds the watchers one change matches per session into one call, which becomes the
   * one notification ZooKeeper sends per connection and change.
   */
  readonly watcher = (event: WatchEvent): void => this.attachment?.notify(event);

  constructor(readonly session: Session) {}

  get id(): bigint {
    return this.session.sessionId;
  }
}

export class SessionTable {
  private readonly byId = new Map<bigint, WireSession>();

  constructor(private readonly engine: Engine) {}

  get size(): number {
    return this.byId.size;
  }

  has(id: bigint): boolean {
    return this.byId.has(id);
  }

  values(): IterableIterator<WireSession> {
    return this.byId.values();
  }

  async create(timeoutMs: number, clientIp: string): Promise<WireSession> {
    const session = await this.engine.connect({ timeoutMs, heartbeats: false, clientIp });
    const ws = new WireSession(session);
    this.byId.set(ws.id, ws);
    session.onStateChange((state) => {
      if (state !== "expired" && state !== "closed") return;
      this.byId.delete(ws.id);
      const a = ws.attachment;
      ws.attachment = null;
      a?.sessionEnded();
    });
    return ws;
  }

  /** the live session with this id and password, or null (unknown, expired, closed or wrong password) */
  find(id: bigint, passwd: Buffer): WireSession | null {
    const ws = this.byId.get(id);
    if (!ws || ws.session.state !== "connected") return null;
    if (passwd.length !== ws.passwd.length || !timingSafeEqual(passwd, ws.passwd)) return null;
    return ws;
  }

  /** a connection went away without closeSession: watches go with it, the session stays */
  detach(ws: WireSession, from: Attachment): void {
    if (ws.attachment !== from) return;
    ws.attachment = null;
    if (ws.session.state === "connected") this.engine.dropWatches(ws.session);
  }
}
