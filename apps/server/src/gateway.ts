/**
 * The socket.io gateway (path /socket.io), implementing every event of @conifer/protocol.
 * Each message is validated with the protocol's zod schemas; acks are always { ok, value } or
 * { ok: false, error: { code, message } }. Subscriptions are socket.io rooms, so one backend
 * event fans out to every subscriber with a single emit:
 *   "p:<path>"  sockets subscribed to a config path (`changed`)
 *   "t:<path>"  console views watching a subtree (`treeEvent` for the path and below)
 * Every connection is authenticated in the handshake (an API token in the auth payload, or the
 * console's session cookie from this origin) and every event is authorized by the same module
 * as the HTTP API (@conifer/core authz). Revoking a token, disabling a user or logging out
 * drops the live connections that used it at once.
 */
import type { Server as HttpServer } from "node:http";
import { readCredentials, toConfigError } from "@conifer/api";
import { authorize, can, canBrowse, ConfigError, configPathProblem, prefixesFor, type AuthService, type Conifer, type Logger, type Principal } from "@conifer/core";
import { isWithin } from "@conifer/coordinator";
import { parentOf } from "@conifer/coordinator";
import {
  SOCKET_PATH,
  zApplied,
  zFetch,
  zHello,
  zSubscribe,
  zWatchTree,
  type Ack,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from "@conifer/protocol";
import { Server, type Socket } from "socket.io";
import { PreEncoded, preEncodedOk, preEncodingParser } from "./ack-encoder.ts";
import type { z } from "zod";

type IO = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type ConiferSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

const pathRoom = (p: string) => `p:${p}`;
const treeRoom = (p: string) => `t:${p}`;

/** Every room that watches `path`: the path itself and each ancestor up to "/". */
function treeRoomsFor(path: string): string[] {
  const rooms: string[] = [];
  for (let p = path; p !== ""; p = parentOf(p)) rooms.push(treeRoom(p));
  return rooms;
}

function failure(err: unknown): { ok: false; error: { code: string; message: string } } {
  const ce = toConfigError(err); // the same translation as the HTTP API
  return { ok: false, error: { code: ce.code, message: ce.message } };
}

function invalid(error: z.ZodError): { ok: false; error: { code: string; message: string } } {
  const i = error.issues[0];
  return { ok: false, error: { code: "INVALID_INPUT", message: `Invalid message: ${i?.path.join(".") || "payload"}: ${i?.message ?? "invalid"}` } };
}

/** Paths already found valid: every SDK fetches the same few paths, so each is checked once. */
const KNOWN_VALID_MAX = 10_000;

function checkPaths(paths: string[], known?: Set<string>): void {
  for (const p of paths) {
    if (known?.has(p)) continue;
    const reason = configPathProblem(p);
    if (reason) throw new ConfigError("INVALID_PATH", `Invalid path ${JSON.stringify(p)}: ${reason}`, { reason });
    if (known) {
      if (known.size >= KNOWN_VALID_MAX) known.clear();
      known.add(p);
    }
  }
}

/**
 * Runs a handler with validated input and answers through `ack` (when the client asked for one).
 * Handlers never throw into socket.io: a bad message gets an error ack, not a dropped socket.
 */
function handle<S extends z.ZodType, T>(schema: S, raw: unknown, ack: unknown, fn: (input: z.infer<S>) => Promise<T> | T): void {
  const reply = typeof ack === "function" ? (ack as (res: Ack<T>) => void) : () => {};
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return reply(invalid(parsed.error));
  Promise.resolve()
    .then(() => fn(parsed.data))
    .then(
      // a PreEncoded value is already the whole `{ ok: true, value }` answer, encoded once
      (value) => reply(value instanceof PreEncoded ? (value as unknown as Ack<T>) : { ok: true, value }),
      (err) => reply(failure(err)),
    );
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

export function attachGateway(http: HttpServer, conifer: Conifer, auth: AuthService, log: Logger): Gateway {
  // messages above 1 MB are refused by the transport before being buffered whole
  const io: IO = new Server(http, { path: SOCKET_PATH, serveClient: false, maxHttpBufferSize: 1e6, parser: preEncodingParser });
  const knownPaths = new Set<string>();
  const principals = new WeakMap<ConiferSocket, Principal>();

  io.use((socket, next) => {
    const raw = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const token = typeof raw === "string" && raw.length > 0 && raw.length <= 200 ? raw : undefined;
    readCredentials(auth, socket.handshake.headers, token).then(
      (creds) => {
        // a session cookie rides along on any cross-site websocket: only this origin may use it
        if (!creds.principal || (creds.via === "session" && !creds.sameOrigin)) {
          const err = new Error("UNAUTHENTICATED: send an API token ({ auth: { token } }) or sign in") as Error & { data?: unknown };
          err.data = { code: "UNAUTHENTICATED" };
          return next(err);
        }
        principals.set(socket, creds.principal);
        next();
      },
      (err) => next(err instanceof Error ? err : new Error(String(err))),
    );
  });

  const unrevoke = auth.onRevoked((r) => {
    for (const socket of io.of("/").sockets.values()) {
      const p = principals.get(socket);
      if (p && revokedBy(p, r)) socket.disconnect(true);
    }
  });

  const unlisten = conifer.feed.listen({
    changed: (notice) => io.to(pathRoom(notice.path)).emit("changed", notice),
    tree: (event) => io.to(treeRoomsFor(event.path)).emit("treeEvent", event),
    resync: (reason) => io.emit("resync", { reason }),
  });
  conifer.link.onHealth((state) => io.emit("backendState", state));

  // revocations made by another server process sharing the database reach this one here
  const sweep = setInterval(() => {
    const sockets = [...io.of("/").sockets.values()];
    const held = sockets.flatMap((s) => {
      const p = principals.get(s);
      return p ? [{ s, p }] : [];
    });
    if (held.length === 0) return;
    auth.stale(held.map((h) => h.p)).then(
      (stale) => {
        const gone = new Set(stale);
        for (const h of held) if (gone.has(h.p)) h.s.disconnect(true);
      },
      (err) => log.warn(`credential sweep failed: ${(err as Error).message}`),
    );
  }, SWEEP_MS);
  sweep.unref();

  io.on("connection", (socket: ConiferSocket) => {
    socket.data.subscriptions = new Set();
    const principal = principals.get(socket) ?? null;
    const allow = (action: "read" | "write", paths: string[]) => {
      for (const p of paths) authorize(principal, action, p);
    };
    // a client connecting during an outage learns of it at once, not at the next change
    if (!conifer.link.health.writable) socket.emit("backendState", conifer.link.health);

    socket.on("hello", (raw, ack) =>
      handle(zHello, raw, ack, async (hello) => {
        const previous = socket.data.instanceId;
        if (previous && previous !== hello.instanceId) await conifer.instances.unregister(previous, socket.id);
        socket.data.instanceId = hello.instanceId;
        await conifer.instances.register(hello, socket.id);
        return { serverId: conifer.serverId };
      }),
    );

    socket.on("subscribe", (raw, ack) =>
      handle(zSubscribe, raw, ack, async ({ paths }) => {
        checkPaths(paths, knownPaths);
        allow("read", paths);
        // join first, then read: a change in between is announced, never missed
        for (const p of paths) {
          socket.data.subscriptions.add(p);
          void socket.join(pathRoom(p));
        }
        return Promise.all(paths.map((p) => conifer.feed.version(p)));
      }),
    );

    socket.on("unsubscribe", (raw, ack) =>
      handle(zSubscribe, raw, ack, ({ paths }) => {
        checkPaths(paths);
        for (const p of paths) {
          socket.data.subscriptions.delete(p);
          void socket.leave(pathRoom(p));
        }
        return null;
      }),
    );

    socket.on("fetch", (raw, ack) =>
      handle(zFetch, raw, ack, async ({ path }) => {
        checkPaths([path], knownPaths);
        allow("read", [path]);
        // every subscriber of a path fetches the same cached snapshot: its JSON is encoded once
        return preEncodedOk(await conifer.feed.fetch(path));
      }),
    );

    socket.on("applied", (raw) =>
      handle(zApplied, raw, undefined, ({ path, version, mzxid }) => {
        if (socket.data.instanceId && principal && can(principal, "read", path)) conifer.instances.applied(socket.data.instanceId, path, version, mzxid);
        return null;
      }),
    );

    socket.on("watchTree", (raw, ack) =>
      handle(zWatchTree, raw, ack, ({ path }) => {
        checkPaths([path]);
        if (!principal || !canBrowse(principal, path)) allow("read", [path]);
        // a user who may read only some branches below `path` watches just those branches
        const rooms = can(principal!, "read", path) ? [path] : prefixesFor(principal!, "read").filter((prefix) => isWithin(prefix, path));
        for (const r of rooms) void socket.join(treeRoom(r));
        return null;
      }),
    );

    socket.on("unwatchTree", (raw) =>
      handle(zWatchTree, raw, undefined, ({ path }) => {
        checkPaths([path]);
        void socket.leave(treeRoom(path));
        return null;
      }),
    );

    socket.on("disconnect", () => {
      const id = socket.data.instanceId;
      if (id) void conifer.instances.unregister(id, socket.id).catch((err) => log.warn(`instance ${id} cleanup: ${(err as Error).message}`));
    });
  });

  return {
    io,
    close: (graceful = true) =>
      new Promise<void>((resolve) => {
        unlisten();
        unrevoke();
        clearInterval(sweep);
        if (graceful) io.disconnectSockets(true);
        // io.close() also closes the HTTP server; the caller owns that, so only the engine here
        io.engine.close();
        resolve();
      }),
  };
}
