/**
 * A small but real socket.io server speaking the SDK side of @conifer/protocol, over an
 * in-memory store, for the SDK's integration tests. It lets a test do what the real server
 * cannot be made to do on demand: delay a fetch, mute notices, send a duplicate notice, drop
 * sockets, emit `resync`, and stop/restart on the same port while keeping its data.
 * The end-to-end suites in apps/server/test run the SDK against the real server.
 */
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type Socket } from "socket.io";
import type { ClientToServerEvents, ConfigSnapshot, Hello, ServerToClientEvents, VersionInfo } from "@conifer/protocol";

type IoServer = Server<ClientToServerEvents, ServerToClientEvents>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

interface Node {
  data: string;
  version: number;
  mzxid: bigint;
}

export interface AppliedRecord {
  instanceId: string | undefined;
  path: string;
  version: number;
  mzxid: string;
}

export function formatOf(path: string): ConfigSnapshot["format"] {
  if (path.endsWith(".json")) return "json";
  if (path.endsWith(".yaml") || path.endsWith(".yml")) return "yaml";
  if (path.endsWith(".properties")) return "properties";
  if (path.endsWith(".toml")) return "toml";
  return "text";
}

export class ProtocolServer {
  private readonly nodes = new Map<string, Node>();
  private zxid = 1000n;
  private http: HttpServer | undefined;
  private io: IoServer | undefined;
  port = 0;

  /** when true, writes do not push `changed` (a lost notice) */
  muted = false;
  /** delay (ms) before answering a fetch; the snapshot is taken when the request arrives */
  fetchDelay: (path: string) => number = () => 0;
  /** paths whose subscription is refused (the whole request fails, like a server-side rule) */
  refuse: (path: string) => boolean = () => false;
  /** when set, `hello` is answered with this error (e.g. the backend is unavailable) */
  helloError: { code: string; message: string } | undefined;
  readonly hellos: Hello[] = [];
  readonly auths: unknown[] = [];
  readonly applied: AppliedRecord[] = [];
  readonly fetches: string[] = [];
  /** highest number of fetches for one path in flight at once from one socket */
  maxConcurrentFetches = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** @param socketPath where the gateway is mounted (a prefix simulates a reverse proxy) */
  constructor(private readonly socketPath = "/socket.io") {}

  async start(port = this.port): Promise<void> {
    const http = createServer();
    const io: IoServer = new Server(http, { path: this.socketPath, transports: ["websocket"] });
    io.on("connection", (socket) => this.onConnection(socket));
    await new Promise<void>((resolve, reject) => {
      http.once("error", reject);
      http.listen(port, "127.0.0.1", () => resolve());
    });
    this.http = http;
    this.io = io;
    this.port = (http.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const io = this.io;
    this.io = undefined;
    this.http = undefined;
    if (io) await io.close(); // disconnects every socket and closes the HTTP server
  }

  get connectedSockets(): number {
    return this.io?.sockets.sockets.size ?? 0;
  }

  /** creates or updates a node (like setData / create) and notifies subscribers */
  set(path: string, data: string): VersionInfo {
    const zxid = ++this.zxid;
    const prev = this.nodes.get(path);
    const node = { data, version: prev ? prev.version + 1 : 0, mzxid: zxid };
    this.nodes.set(path, node);
    const info = this.info(path);
    this.notify(info, zxid);
    return info;
  }

  remove(path: string): void {
    const zxid = ++this.zxid;
    this.nodes.delete(path);
    this.notify(this.info(path), zxid);
  }

  /** pushes a notice as the server would, e.g. a duplicate of one already sent */
  sendNotice(path: string): void {
    this.io?.to(path).emit("changed", { ...this.info(path), zxid: String(this.zxid) });
  }

  /** pushes an arbitrary notice, e.g. one announcing a version fetch cannot serve yet */
  announce(info: VersionInfo): void {
    this.io?.to(info.path).emit("changed", { ...info, zxid: info.mzxid });
  }

  /** the mzxid the next write will get */
  get nextZxid(): bigint {
    return this.zxid + 1n;
  }

  info(path: string): VersionInfo {
    const n = this.nodes.get(path);
    return n
      ? { path, exists: true, version: n.version, mzxid: String(n.mzxid) }
      : { path, exists: false, version: -1, mzxid: "0" };
  }

  dropAll(): void {
    this.io?.disconnectSockets(true);
  }

  resyncAll(reason = "test"): void {
    this.io?.emit("resync", { reason });
  }

  private notify(info: VersionInfo, zxid: bigint): void {
    if (!this.muted) this.io?.to(info.path).emit("changed", { ...info, zxid: String(zxid) });
  }

  private snapshot(path: string): ConfigSnapshot {
    const n = this.nodes.get(path);
    return { ...this.info(path), data: n?.data ?? "", format: formatOf(path) };
  }

  private onConnection(socket: IoSocket): void {
    this.auths.push(socket.handshake.auth);
    let instanceId: string | undefined;
    const inFlight = new Map<string, number>();
    socket.on("hello", (hello, ack) => {
      if (this.helloError) {
        ack({ ok: false, error: this.helloError });
        return;
      }
      instanceId = hello.instanceId;
      this.hellos.push(hello);
      ack({ ok: true, value: { serverId: "test" } });
    });
    socket.on("subscribe", ({ paths }, ack) => {
      const refused = paths.find((p) => this.refuse(p));
      if (refused) {
        ack({ ok: false, error: { code: "INVALID_PATH", message: `no subscriptions under ${refused}` } });
        return;
      }
      for (const p of paths) void socket.join(p);
      ack({ ok: true, value: paths.map((p) => this.info(p)) });
    });
    socket.on("unsubscribe", ({ paths }, ack) => {
      for (const p of paths) void socket.leave(p);
      ack?.({ ok: true, value: null });
    });
    socket.on("fetch", ({ path }, ack) => {
      this.fetches.push(path);
      const snap = this.snapshot(path);
      const n = (inFlight.get(path) ?? 0) + 1;
      inFlight.set(path, n);
      this.maxConcurrentFetches = Math.max(this.maxConcurrentFetches, n);
      setTimeout(() => {
        inFlight.set(path, (inFlight.get(path) ?? 1) - 1);
        ack({ ok: true, value: snap });
      }, this.fetchDelay(path));
    });
    socket.on("applied", (req) => {
      this.applied.push({ instanceId, ...req });
    });
  }
}
