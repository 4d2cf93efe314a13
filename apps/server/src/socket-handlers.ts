/**
 * What the gateway does with each client message, one function per event of @conifer/protocol.
 * The functions are created once per gateway and shared by every socket (socket.io calls a
 * listener with the socket as `this`): an idle connection then costs no closures of its own,
 * which matters at tens of thousands of SDK connections per process.
 * Each message is validated with the protocol's zod schemas; acks are always { ok, value } or
 * { ok: false, error: { code, message } }, and a handler never throws into socket.io.
 */
import {
  authorize,
  can,
  canBrowse,
  ConfigError,
  configPathProblem,
  prefixesFor,
  socketError,
  toConfigError,
  type Conifer,
  type Logger,
  type Principal,
  type TargetedInstance,
} from "@conifer/core";
import { isWithin } from "@conifer/coordinator";
import {
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
import type { Server, Socket } from "socket.io";
import type { z } from "zod";
import { PreEncoded, preEncodedOk } from "./ack-encoder.ts";

/** What the server keeps on each socket: the protocol's data plus who opened it. */
export interface ServerSocketData extends SocketData {
  /** set by the handshake's authentication; re-checked by the gateway's credential sweep */
  principal?: Principal | null;
  /** what gray release targets are matched against (the hello's instance id, host and labels) */
  instance?: TargetedInstance;
}
export type IO = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, ServerSocketData>;
export type ConiferSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, ServerSocketData>;

export const pathRoom = (p: string) => `p:${p}`;
export const treeRoom = (p: string) => `t:${p}`;

/** The one translation (core's toConfigError) and the one reply shape, as the HTTP API. */
function failure(err: unknown): { ok: false; error: { code: string; message: string } } {
  return socketError(toConfigError(err));
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
function handle<S extends z.ZodType, T>(
  schema: S,
  raw: unknown,
  ack: unknown,
  fn: (input: z.infer<S>) => Promise<T> | T,
): void {
  const reply = typeof ack === "function" ? (ack as (res: Ack<T>) => void) : () => {};
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    reply(failure(parsed.error));
    return;
  }
  Promise.resolve()
    .then(() => fn(parsed.data))
    .then(
      // a PreEncoded value is already the whole `{ ok: true, value }` answer, encoded once
      (value) => reply(value instanceof PreEncoded ? (value as unknown as Ack<T>) : { ok: true, value }),
      (err: unknown) => reply(failure(err)),
    );
}

function allow(socket: ConiferSocket, action: "read" | "write", paths: string[]): void {
  for (const p of paths) authorize(socket.data.principal ?? null, action, p);
}

type Handler = (this: ConiferSocket, raw: unknown, ack?: unknown) => void;

/** The listeners to register on every connection, as [event, listener] pairs. */
export function socketHandlers(conifer: Conifer, log: Logger): [keyof ClientToServerEvents | "disconnect", Handler][] {
  const knownPaths = new Set<string>();
  return [
    [
      "hello",
      function (raw, ack) {
        handle(zHello, raw, ack, async (hello) => {
          const previous = this.data.instanceId;
          if (previous && previous !== hello.instanceId) await conifer.unregisterInstance(previous, this.id);
          this.data.instanceId = hello.instanceId;
          this.data.instance = { instanceId: hello.instanceId, host: hello.host, labels: hello.labels ?? {} };
          await conifer.registerInstance(hello, this.id);
          return { serverId: conifer.serverId };
        });
      },
    ],
    [
      "subscribe",
      function (raw, ack) {
        handle(zSubscribe, raw, ack, async ({ paths }) => {
          checkPaths(paths, knownPaths);
          allow(this, "read", paths);
          // join first, then read: a change in between is announced, never missed
          for (const p of paths) void this.join(pathRoom(p));
          return Promise.all(paths.map((p) => conifer.versionFor(p, this.data.instance)));
        });
      },
    ],
    [
      "unsubscribe",
      function (raw, ack) {
        handle(zSubscribe, raw, ack, ({ paths }) => {
          checkPaths(paths);
          for (const p of paths) void this.leave(pathRoom(p));
          return null;
        });
      },
    ],
    [
      "fetch",
      function (raw, ack) {
        handle(zFetch, raw, ack, async ({ path }) => {
          checkPaths([path], knownPaths);
          allow(this, "read", [path]);
          // every subscriber of a path fetches the same cached snapshot: its JSON is encoded once
          // (a gray release's content is one object per gray and version too: encoded once as well)
          return preEncodedOk(await conifer.fetchFor(path, this.data.instance));
        });
      },
    ],
    [
      "applied",
      function (raw) {
        handle(zApplied, raw, undefined, ({ path, version, mzxid, release }) => {
          const principal = this.data.principal;
          if (this.data.instanceId && principal && can(principal, "read", path))
            conifer.reportApplied(this.data.instanceId, path, version, mzxid, release);
          return null;
        });
      },
    ],
    [
      "watchTree",
      function (raw, ack) {
        handle(zWatchTree, raw, ack, ({ path }) => {
          checkPaths([path]);
          const principal = this.data.principal ?? null;
          // authorize() throws unless signed in and allowed: past it `principal` is set either way
          if (!principal || !canBrowse(principal, path)) authorize(principal, "read", path);
          // a user who may read only some branches below `path` watches just those branches
          const rooms = can(principal, "read", path)
            ? [path]
            : prefixesFor(principal, "read").filter((prefix) => isWithin(prefix, path));
          for (const r of rooms) void this.join(treeRoom(r));
          return null;
        });
      },
    ],
    [
      "unwatchTree",
      function (raw) {
        handle(zWatchTree, raw, undefined, ({ path }) => {
          checkPaths([path]);
          void this.leave(treeRoom(path));
          return null;
        });
      },
    ],
    [
      "disconnect",
      function () {
        const id = this.data.instanceId;
        if (id)
          void conifer
            .unregisterInstance(id, this.id)
            .catch((err: unknown) => log.warn(`instance ${id} cleanup: ${(err as Error).message}`));
      },
    ],
  ];
}
