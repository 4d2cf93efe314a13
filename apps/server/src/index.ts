/**
 * startServer: one HTTP server hosting the tRPC API, the socket.io gateway, the REST read
 * endpoint and the console, over one backend session and one history store. Safe to start,
 * stop (close) and crash (kill) repeatedly on the same data directory: everything it opens is
 * released before close() resolves.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { hostname } from "node:os";
import type { AddressInfo, Socket } from "node:net";
import type { Backend } from "@conifer/coordinator";
import { Engine } from "@conifer/engine";
import type { ZkServer } from "@conifer/zk-server";
import { Conifer, nodePolicy, type AuthService, type Logger } from "@conifer/core";
import { openHistoryStore, type HistoryStore } from "@conifer/history";
import { parseBackendUrl } from "@conifer/shared";
import { openBackend } from "./backend.ts";
import { normaliseDatabaseUrl, resolveConfig, type ServerConfig } from "./config.ts";
import { createConsoleHost, type ConsoleHost, type RequestHandler } from "./console-host.ts";
import { attachGateway } from "./gateway.ts";
import { createRequestHandler } from "./http.ts";
import { openWireDoor, serverDigest } from "./wire-door.ts";

export type { ServerConfig } from "./config.ts";

export interface RunningServer {
  /** http://127.0.0.1:PORT (the host it listens on; loopback when listening on all interfaces) */
  url: string;
  port: number;
  backend: Backend;
  /** the history store this server writes (tests read it directly) */
  history: HistoryStore;
  /** the domain layer, for tests that need to wait for the change feed */
  conifer: Conifer;
  /** accounts, sessions, tokens */
  auth: AuthService;
  /** set when this start created the first admin with a generated password: show it once */
  initialAdmin?: { username: string; password: string };
  /** the ZooKeeper client port of an embedded install, when it is open */
  zk?: ZkServer;
  config: ServerConfig;
  /** graceful: clients disconnected, session closed (ephemerals removed), stores closed */
  close(): Promise<void>;
  /** abrupt, like a crashed process: no goodbye to clients, nothing flushed beyond what is durable */
  kill(): Promise<void>;
}

function makeLogger(quiet: boolean): Logger {
  return {
    info: (m) => {
      if (!quiet) console.log(`[conifer] ${m}`);
    },
    warn: (m) => console.warn(`[conifer] ${m}`),
    error: (m, err) => console.error(`[conifer] ${m}`, err ?? ""),
  };
}

export async function startServer(partial: Partial<ServerConfig> = {}): Promise<RunningServer> {
  const config = resolveConfig(partial);
  const log = makeLogger(config.quiet);
  mkdirSync(config.dataDir, { recursive: true });

  const backend = await openBackend(config.backendUrl, config.dataDir, config.sessionTimeoutMs);
  const target = parseBackendUrl(config.backendUrl);
  const zkCredentials = target.kind === "zookeeper" && target.credentials !== null;
  // with a ZooKeeper port open, anonymous clients reach the engine: the server needs an identity
  const wire = backend instanceof Engine && config.zkPort !== undefined ? backend : null;
  const backendDigest = config.backendDigest ?? (wire ? serverDigest(config.dataDir) : undefined);
  let history: HistoryStore;
  try {
    history = await openHistoryStore({ url: normaliseDatabaseUrl(config.databaseUrl) });
  } catch (err) {
    await backend.close().catch(() => {});
    throw err;
  }
  const conifer = new Conifer({
    backend,
    history,
    serverId: `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`,
    log,
    sessionTimeoutMs: config.sessionTimeoutMs,
    scheduleTickMs: config.scheduleTickMs,
    // digest credentials from the ZooKeeper URL (the adapter adds them) or given for the engine
    nodePolicy: nodePolicy({
      digest: target.kind === "zookeeper" ? undefined : backendDigest,
      sessionAuthenticated: zkCredentials,
    }),
  });
  if (target.kind === "zookeeper" && !zkCredentials) {
    log.warn(
      "ZooKeeper URL without digest credentials: Conifer's znodes are open to every client of the ensemble (use zookeeper://user:password@hosts/chroot)",
    );
  }
  try {
    await conifer.start();
  } catch (err) {
    await conifer.stop().catch(() => {});
    await backend.close().catch(() => {});
    await history.close().catch(() => {});
    throw err;
  }

  const auth = conifer.auth;
  let initialAdmin: { username: string; password: string } | undefined;
  try {
    const boot = await auth.bootstrap(config.adminUser, config.adminPassword);
    if (boot.created && boot.generatedPassword)
      initialAdmin = { username: boot.username, password: boot.generatedPassword };
  } catch (err) {
    await conifer.stop().catch(() => {});
    await backend.close().catch(() => {});
    await history.close().catch(() => {});
    throw err;
  }

  let zk: ZkServer | null = null;
  if (wire && config.zkPort !== undefined) {
    try {
      zk = await openWireDoor({
        engine: wire,
        host: config.host,
        port: config.zkPort,
        explicit: config.zkPortExplicit,
        fourLetterWords: config.zkFourLetterWords,
        log,
      });
    } catch (err) {
      await conifer.stop().catch(() => {});
      await backend.close().catch(() => {});
      await history.close().catch(() => {});
      throw err;
    }
    conifer.attachWireDoor(zk);
  }

  // The console loads on its first request: API-only use and tests never pay for Next.js.
  let consoleHost: Promise<ConsoleHost> | null = null;
  const consoleHandler = (): RequestHandler => (req, res) => {
    consoleHost ??= createConsoleHost({ consoleDir: config.consoleDir, enabled: config.serveConsole });
    consoleHost.then(
      (host) => host.handle(req, res),
      (err: unknown) => {
        log.error("console failed to start", err);
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(`The console failed to start: ${(err as Error).message}`);
      },
    );
  };

  const http: Server = createServer(
    createRequestHandler(conifer, consoleHandler, log, config.trustProxy, config.apiRateLimit),
  );
  // every TCP connection, upgraded websockets included, so kill() can drop them like a crash
  const connections = new Set<Socket>();
  http.on("connection", (socket: Socket) => {
    connections.add(socket);
    socket.once("close", () => connections.delete(socket));
  });
  const gateway = attachGateway(http, conifer, log);
  try {
    await new Promise<void>((resolve, reject) => {
      http.once("error", reject);
      http.listen(config.port, config.host, () => {
        http.off("error", reject);
        resolve();
      });
    });
  } catch (err) {
    // e.g. EADDRINUSE: release the data dir and the database so a retry can succeed
    conifer.stopInstances();
    await zk?.close();
    await gateway.close();
    await conifer.stop().catch(() => {});
    await backend.close().catch(() => {});
    await history.close().catch(() => {});
    throw err;
  }
  const port = (http.address() as AddressInfo).port;
  const host =
    config.host === "0.0.0.0" || config.host === "::"
      ? "127.0.0.1"
      : config.host.includes(":")
        ? `[${config.host}]`
        : config.host;

  let stopping: Promise<void> | null = null;
  const shutdown = (graceful: boolean) =>
    (stopping ??= (async () => {
      // closing the session removes this server's instance znodes; no per-socket cleanup needed
      conifer.stopInstances();
      if (!graceful) for (const socket of connections) socket.destroy();
      await gateway.close(graceful);
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      // let history catch up with events already received, but never hang a shutdown on it
      if (graceful)
        await Promise.race([conifer.drain().catch(() => {}), new Promise((r) => setTimeout(r, 5_000).unref())]);
      await zk?.close();
      await conifer.stop().catch((err: unknown) => log.error("stopping the domain layer", err));
      await backend.close().catch((err: unknown) => log.error("closing the backend", err));
      await history.close().catch((err: unknown) => log.error("closing the history store", err));
      if (consoleHost) await consoleHost.then((h) => h.close()).catch(() => {});
    })());

  return {
    url: `http://${host}:${port}`,
    port,
    backend,
    history,
    conifer,
    auth,
    ...(initialAdmin ? { initialAdmin } : {}),
    ...(zk ? { zk } : {}),
    config,
    close: () => shutdown(true),
    kill: () => shutdown(false),
  };
}
