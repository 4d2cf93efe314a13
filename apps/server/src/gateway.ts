/**
 * The socket.io gateway (path /socket.io), implementing every event of @conifer/protocol with
 * the handlers of socket-handlers.ts (validation, acks, authorization per message).
 * Subscriptions are socket.io rooms, so one backend
 * event fans out to every subscriber with a single emit:
 *   "p:<path>"  sockets subscribed to a config path (`changed`)
 *   "t:<path>"  console views watching a subtree (`treeEvent` for the path and below)
 * Every connection is authenticated in the handshake (an API token in the auth payload, or the
 * console's session cookie from this origin) and every event is authorized by the same module
 * as the HTTP API (@conifer/core authz). Revoking a token, disabling a user or logging out
 * drops the live connections that used it at once.
 */
import type { Server as HttpServer } from "node:http";
import { can, readCredentials, type AuthService, type Conifer, type Logger, type Principal } from "@conifer/core";
import { parentOf } from "@conifer/coordinator";
import { isSystemPath } from "@conifer/shared";
import { SOCKET_PATH } from "@conifer/protocol";
import { Server } from "socket.io";
import { preEncodingParser } from "./ack-encoder.ts";
import { attachChangePush } from "./change-push.ts";
import { attachGrayPush } from "./gray-push.ts";
import { pathRoom, socketHandlers, treeRoom, type ConiferSocket, type IO } from "./socket-handlers.ts";

/** Every room that watches `path`: the path itself and each ancestor up to "/". */
function treeRoomsFor(path: string): string[] {
  const rooms: string[] = [];
  for (let p = path; p !== ""; p = parentOf(p)) rooms.push(treeRoom(p));
  return rooms;
}

export interface Gateway {
  io: IO;
  /** graceful: tells each client it was disconnected; otherwise the caller drops the TCP connections */
  close(graceful?: boolean): Promise<void>;
}

/** How often live sockets' credentials are re-checked against the database. */
const SWEEP_MS = 10_000;

function revokedBy(p: Principal, r: Parameters<Parameters<AuthService["onRevoked"]>[0]>[0]): boolean {
  if (r.kind === "token") return p.kind === "token" && p.tokenId === r.tokenId;
  if (r.kind === "user") return p.kind === "user" && p.userId === r.userId;
  return p.kind === "user" && p.sessionHash === r.sessionHash;
}

/**
 * Frees what an idle connection keeps alive for nothing (measured with heap snapshots at 2,000
 * SDK connections; see docs/performance.md §2). Authentication is done, so the upgrade
 * request's headers are no longer needed, yet engine.io's upgrade response keeps the request
 * alive for the connection's lifetime. And ws keeps the 4-byte mask of the last frame received
 * as a slice of that frame's read buffer, pinning the whole buffer (about 1.9 KB per idle SDK
 * connection): we drop it after each message (every client frame carries its own mask).
 * Both reach into internals, so each step is guarded and a no-op if they change shape.
 */
function trimIdleMemory(socket: ConiferSocket): void {
  const req = socket.conn.request as { headers?: unknown; rawHeaders?: unknown } | undefined;
  if (req) {
    req.headers = {};
    req.rawHeaders = [];
  }
  socket.handshake.headers = {};
  const ws = (socket.conn as unknown as { transport?: { socket?: { _receiver?: { _mask?: unknown }; on?: unknown } } })
    .transport?.socket;
  const receiver = ws?._receiver;
  if (receiver && "_mask" in receiver && typeof ws.on === "function") {
    receiver._mask = undefined;
    (ws as unknown as import("node:events").EventEmitter).on("message", () => {
      receiver._mask = undefined;
    });
  }
}

export function attachGateway(http: HttpServer, conifer: Conifer, log: Logger): Gateway {
  const auth = conifer.auth;
  // messages above 1 MB are refused by the transport before being buffered whole
  const io: IO = new Server(http, {
    path: SOCKET_PATH,
    serveClient: false,
    maxHttpBufferSize: 1e6,
    parser: preEncodingParser,
  });

  io.use((socket, next) => {
    const raw = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const token = typeof raw === "string" && raw.length > 0 && raw.length <= 200 ? raw : undefined;
    readCredentials(auth, socket.handshake.headers, token).then(
      (creds) => {
        // a session cookie rides along on any cross-site websocket: only this origin may use it
        if (!creds.principal || (creds.via === "session" && !creds.sameOrigin)) {
          const err = new Error(
            `UNAUTHENTICATED: ${creds.refusal ?? "send an API token ({ auth: { token } }) or sign in"}`,
          ) as Error & {
            data?: unknown;
          };
          err.data = { code: "UNAUTHENTICATED" };
          next(err);
          return;
        }
        socket.data.principal = creds.principal;
        next();
      },
      (err: unknown) => next(err instanceof Error ? err : new Error(String(err))),
    );
  });

  const unrevoke = auth.onRevoked((r) => {
    for (const socket of io.of("/").sockets.values()) {
      const p = socket.data.principal;
      if (p && revokedBy(p, r)) socket.disconnect(true);
    }
  });

  // socket.io encodes a broadcast before it looks for recipients, so rooms nobody is in are
  // skipped here: every instance report is a znode change, 10,000 of them after a publish to
  // 10,000 SDKs, and no console is usually watching /conifer/instances
  const rooms = io.of("/").adapter.rooms;
  const unlisten = conifer.listen({
    group: (zxid, notices) => {
      // each socket hears of the paths it subscribes; sockets with the same subset (usually
      // all of an application's instances) share one encoded broadcast
      const bySubset = new Map<string, { paths: string[]; sockets: string[] }>();
      const perSocket = new Map<string, string[]>();
      for (const n of notices) {
        for (const id of rooms.get(pathRoom(n.path)) ?? []) {
          const list = perSocket.get(id);
          if (list) list.push(n.path);
          else perSocket.set(id, [n.path]);
        }
      }
      for (const [id, paths] of perSocket) {
        if (paths.length < 2) continue;
        const key = paths.join("\0");
        const s = bySubset.get(key);
        if (s) s.sockets.push(id);
        else bySubset.set(key, { paths, sockets: [id] });
      }
      for (const { paths, sockets } of bySubset.values()) io.to(sockets).emit("changeGroup", { zxid, paths });
    },
    changed: (notice) => {
      const room = pathRoom(notice.path);
      if (rooms.has(room)) io.to(room).emit("changed", notice);
    },
    tree: (event) => {
      const watched = treeRoomsFor(event.path).filter((r) => rooms.has(r));
      if (watched.length === 0) return;
      if (!isSystemPath(event.path)) {
        io.to(watched).emit("treeEvent", event);
        return;
      }
      // a console watching "/" must not learn of /conifer/instances/<id> unless its user may
      // open system nodes: rooms are per path, not per principal, so filter the members here
      const admins = new Set<string>();
      for (const room of watched)
        for (const id of rooms.get(room) ?? []) {
          const p = io.of("/").sockets.get(id)?.data.principal;
          if (p && can(p, "read", event.path)) admins.add(id);
        }
      if (admins.size > 0) io.to([...admins]).emit("treeEvent", event);
    },
    resync: (reason) => io.emit("resync", { reason }),
  });
  conifer.onHealth((state) => io.emit("backendState", state));
  const unpush = attachChangePush(io, conifer);
  const ungray = attachGrayPush(io, conifer, log);

  // revocations made by another server process sharing the database reach this one here
  const sweep = setInterval(() => {
    const sockets = [...io.of("/").sockets.values()];
    const held = sockets.flatMap((s) => {
      const p = s.data.principal;
      return p ? [{ s, p }] : [];
    });
    if (held.length === 0) return;
    auth.stale(held.map((h) => h.p)).then(
      (stale) => {
        const gone = new Set(stale);
        for (const h of held) if (gone.has(h.p)) h.s.disconnect(true);
      },
      (err: unknown) => log.warn(`credential sweep failed: ${(err as Error).message}`),
    );
  }, SWEEP_MS);
  sweep.unref();

  const handlers = socketHandlers(conifer, log);
  io.on("connection", (socket: ConiferSocket) => {
    trimIdleMemory(socket);
    // a client connecting during an outage learns of it at once, not at the next change
    if (!conifer.health.writable) socket.emit("backendState", conifer.health);
    // the same handler functions for every socket (they read it as `this`): no closures per connection
    for (const [event, fn] of handlers) socket.on(event, fn as never);
  });

  return {
    io,
    close: (graceful = true) =>
      new Promise<void>((resolve) => {
        unlisten();
        unrevoke();
        unpush();
        ungray();
        clearInterval(sweep);
        if (graceful) io.disconnectSockets(true);
        // io.close() also closes the HTTP server; the caller owns that, so only the engine here
        io.engine.close();
        resolve();
      }),
  };
}
