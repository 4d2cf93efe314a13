/**
 * ZkServer: the TCP listener of the ZooKeeper client protocol in front of an embedded Engine.
 * It admits connections (maxClientCnxns per address), tells four-letter words from sessions by
 * their first four bytes, and keeps the connection and session tables the 4lw commands and the
 * console's cluster screen report.
 */
import net from "node:net";
import type { ConnectionInfo } from "./connection-info.ts";
import type { Connection as ConnectionType } from "./connection.ts";
import { Connection } from "./connection.ts";
import { answerFourLetter, fourLetterCommand, mntr } from "./four-letter.ts";
import type { FourLetterContext } from "./four-letter.ts";
import { NotificationPacer } from "./notification-pacer.ts";
import { resolveZkOptions } from "./options.ts";
import type { ResolvedZkOptions, ZkServerOptions } from "./options.ts";
import { SessionTable } from "./sessions.ts";
import { ServerCounters } from "./stats.ts";

/** what the console's cluster screen shows about the wire door */
export interface ZkServerInfo {
  host: string;
  port: number;
  connections: ConnectionInfo[];
  mntr: [string, string | number][];
}

/** how many notifications leave per event-loop turn in a large fan-out (docs/performance.md, sixth pass) */
const NOTIFICATIONS_PER_TURN = 32;

export class ZkServer {
  private readonly connections = new Set<ConnectionType>();
  private readonly perAddress = new Map<string, number>();
  private readonly table: SessionTable;
  private readonly counters: ServerCounters;
  private readonly flw: FourLetterContext;
  private readonly pacer = new NotificationPacer(NOTIFICATIONS_PER_TURN);
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly server: net.Server,
    private readonly opts: ResolvedZkOptions,
  ) {
    this.table = new SessionTable(opts.engine);
    this.counters = new ServerCounters((c) => {
      this.forget(c);
    });
    this.flw = {
      engine: opts.engine,
      opts,
      counters: this.counters,
      connections: () => [...this.connections].map((c) => c.info),
      startedAt: Date.now(),
    };
  }

  /** listens on host:port; rejects with the listen error (EADDRINUSE when the port is taken) */
  static async start(options: ZkServerOptions): Promise<ZkServer> {
    const opts = resolveZkOptions(options);
    const server = net.createServer({ noDelay: true });
    const zk = new ZkServer(server, opts);
    server.on("connection", (socket) => {
      zk.admit(socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port, opts.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const addr = server.address();
    if (addr && typeof addr === "object") opts.port = addr.port;
    return zk;
  }

  get port(): number {
    return this.opts.port;
  }

  get host(): string {
    return this.opts.host;
  }

  /** whether a wire session with this id is alive (it may be between connections) */
  hasSession(id: bigint): boolean {
    return this.table.has(id);
  }

  /** live connections, as `cons` lists them, and the `mntr` figures */
  info(): ZkServerInfo {
    return { host: this.opts.host, port: this.opts.port, connections: this.flw.connections(), mntr: mntr(this.flw) };
  }

  /** stops listening and drops every connection; the sessions stay engine sessions until they expire */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
      for (const c of this.connections) c.destroy();
    });
    return this.closing;
  }

  private admit(socket: net.Socket): void {
    const ip = (socket.remoteAddress ?? "").replace(/^::ffff:/, "");
    const max = this.opts.maxClientCnxns;
    const count = this.perAddress.get(ip) ?? 0;
    if (this.closing || (max > 0 && count >= max)) {
      // ZooKeeper's maxClientCnxns: the connection is dropped before anything is read
      socket.destroy();
      return;
    }
    this.perAddress.set(ip, count + 1);
    socket.setNoDelay(true);
    let head: Buffer = Buffer.alloc(0);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const n = (this.perAddress.get(ip) ?? 1) - 1;
      if (n <= 0) this.perAddress.delete(ip);
      else this.perAddress.set(ip, n);
    };
    socket.once("close", release);
    socket.on("error", () => {});
    const timer = setTimeout(() => socket.destroy(), this.opts.connectTimeoutMs);
    timer.unref();
    // the first four bytes decide: a four-letter word, or the length of a ConnectRequest
    const onHead = (chunk: Buffer) => {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      if (head.length < 4) return;
      socket.off("data", onHead);
      clearTimeout(timer);
      const cmd = fourLetterCommand(head.subarray(0, 4));
      if (cmd !== null) {
        socket.end(answerFourLetter(this.flw, cmd));
        return;
      }
      const conn = new Connection(socket, ip, this.opts, this.table, this.counters, this.pacer, head);
      this.connections.add(conn);
      if (socket.destroyed) this.connections.delete(conn);
    };
    socket.on("data", onHead);
  }

  private forget(c: ConnectionType): void {
    this.connections.delete(c);
  }
}
