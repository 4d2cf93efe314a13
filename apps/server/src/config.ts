/**
 * ServerConfig: everything startServer needs, with the defaults of a fresh clone
 * (port 3000, ./data, the embedded engine, SQLite in data/history.db).
 */
import { fileURLToPath } from "node:url";
import { isAbsolute, join, resolve } from "node:path";

export interface ServerConfig {
  /** 0 = a random free port */
  port: number;
  host: string;
  dataDir: string;
  /** "embedded:" (default) or "zookeeper://h1:2181,h2:2181/chroot" */
  backendUrl: string;
  /** default file:<dataDir>/history.db; postgres://... for PostgreSQL */
  databaseUrl: string;
  /** the Next.js app to host; default apps/console of this repo */
  consoleDir?: string;
  serveConsole: boolean;
  /** ZooKeeper session timeout requested by the server's own session */
  sessionTimeoutMs: number;
  /** print request-independent lifecycle logs */
  quiet: boolean;
  /** user name of the admin created on first start (no users yet); default "admin" */
  adminUser: string;
  /** that admin's password; unset = a one-time password is generated (RunningServer.initialAdmin) */
  adminPassword?: string;
  /**
   * "user:password" digest credentials of the server on the embedded engine (on ZooKeeper they
   * are part of backendUrl). With credentials, the server's znodes are writable only by it.
   */
  backendDigest?: string;
  /**
   * embedded engine only: the ZooKeeper client port (CONIFER_ZK_PORT), on `host`; undefined = no
   * wire door. `zkPortExplicit`: a taken port is an error (else a warning and no wire door)
   */
  zkPort?: number;
  zkPortExplicit: boolean;
  /** 4lw.commands.whitelist for the wire door: "*" or a comma-separated list; default "srvr" */
  zkFourLetterWords?: string;
  /** behind a reverse proxy: the client address is the first X-Forwarded-For entry (for lockout and audit) */
  trustProxy: boolean;
  /** how often scheduled publishes are looked for (CONIFER_SCHEDULE_TICK_MS); default 5 s */
  scheduleTickMs?: number;
  /** /api/v1 requests per minute per API token or user */
  apiRateLimit?: number;
}

/** apps/console, next to this app, when running from the repo */
export function defaultConsoleDir(): string {
  return fileURLToPath(new URL("../../console", import.meta.url));
}

export function resolveConfig(partial: Partial<ServerConfig> = {}): ServerConfig {
  const dataDir = resolve(partial.dataDir ?? "./data");
  return {
    port: partial.port ?? 3000,
    host: partial.host ?? "127.0.0.1",
    dataDir,
    backendUrl: partial.backendUrl ?? "embedded:",
    databaseUrl: partial.databaseUrl ?? `file:${join(dataDir, "history.db")}`,
    consoleDir: partial.consoleDir ?? defaultConsoleDir(),
    serveConsole: partial.serveConsole ?? true,
    sessionTimeoutMs: partial.sessionTimeoutMs ?? 30_000,
    quiet: partial.quiet ?? true,
    adminUser: partial.adminUser ?? "admin",
    ...(partial.adminPassword !== undefined ? { adminPassword: partial.adminPassword } : {}),
    ...(partial.backendDigest !== undefined ? { backendDigest: partial.backendDigest } : {}),
    trustProxy: partial.trustProxy ?? false,
    ...(partial.zkPort !== undefined ? { zkPort: partial.zkPort } : {}),
    zkPortExplicit: partial.zkPortExplicit ?? true,
    ...(partial.zkFourLetterWords !== undefined ? { zkFourLetterWords: partial.zkFourLetterWords } : {}),
    ...(partial.scheduleTickMs !== undefined ? { scheduleTickMs: partial.scheduleTickMs } : {}),
    ...(partial.apiRateLimit !== undefined ? { apiRateLimit: partial.apiRateLimit } : {}),
  };
}

/** Relative `file:` URLs are taken relative to the working directory, as the user typed them. */
export function normaliseDatabaseUrl(url: string): string {
  if (!url.startsWith("file:")) return url;
  const file = url.slice("file:".length);
  return isAbsolute(file) ? url : `file:${resolve(file)}`;
}
