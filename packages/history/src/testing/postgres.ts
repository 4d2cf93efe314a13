/**
 * A throwaway PostgreSQL server for tests (`@conifer/history/testing`): initdb into a fresh temp
 * dir owned by the `postgres` user, start `postgres` on a free loopback port with trust auth, hand
 * out fresh databases, and stop + delete everything afterwards. Used by this package's store
 * suite and by the server's PostgreSQL end-to-end tests. Needs the Debian postgresql-15 binaries
 * (scripts/test.mjs installs them); as root the server runs as `postgres` through runuser.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export interface PostgresFixture {
  readonly port: number;
  /** URL of an existing database on this server (default "postgres"). */
  url(database?: string): string;
  /** Creates a fresh, empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server and deletes its data dir. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Directory holding initdb and postgres; default: the newest /usr/lib/postgresql/<v>/bin. */
  binDir?: string;
  /** Where to create the temp dir (default /tmp as root, else the OS temp dir). */
  baseDir?: string;
  /** Ceiling for the server to accept connections (a hang guard, not a speed expectation). */
  readyTimeoutMs?: number;
}

export function findPostgresBinDir(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, "bin", "postgres")));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

const asRoot = () => process.getuid?.() === 0;

/** Runs a PostgreSQL binary as the postgres user when we are root (postgres refuses to run as root). */
function command(bin: string, args: string[]): [string, string[]] {
  return asRoot() ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
}

function postgresOwner(): { uid: number; gid: number } | null {
  if (!asRoot()) return null;
  const uid = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0)
    throw new Error("running as root but there is no `postgres` user to run PostgreSQL as");
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresFixture> {
  const binDir = options.binDir ?? findPostgresBinDir();
  if (!binDir) throw new Error("PostgreSQL server binaries not found (apt-get install postgresql-15)");
  // As root, stay under /tmp: TMPDIR may point somewhere the postgres user cannot traverse.
  const base = mkdtempSync(join(options.baseDir ?? (asRoot() ? "/tmp" : tmpdir()), "conifer-pg-"));
  chmodSync(base, 0o755); // the postgres user must be able to traverse into it
  const dataDir = join(base, "data");
  const socketDir = join(base, "sock");
  mkdirSync(dataDir, { mode: 0o700 });
  mkdirSync(socketDir, { mode: 0o755 });
  const owner = postgresOwner();
  if (owner) for (const dir of [dataDir, socketDir]) chownSync(dir, owner.uid, owner.gid);

  const [initCmd, initArgs] = command(join(binDir, "initdb"), [
    "-D",
    dataDir,
    "--auth=trust",
    "-U",
    "postgres",
    "-E",
    "UTF8",
    "--locale=C",
    "--no-sync",
    "--no-instructions",
  ]);
  const init = spawnSync(initCmd, initArgs, { encoding: "utf8" });
  if (init.status !== 0) {
    rmSync(base, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status ?? init.signal}): ${init.stderr || init.stdout}`);
  }

  // Another process may take the port between our probe and postgres binding it: retry a few times.
  let lastLog = "";
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const started = await launch(binDir, dataDir, socketDir, port, options.readyTimeoutMs ?? 120_000);
    if ("child" in started) return fixture(base, dataDir, port, started.child);
    lastLog = started.log;
    if (!/could not bind|address already in use/i.test(lastLog)) break;
  }
  rmSync(base, { recursive: true, force: true });
  throw new Error(`postgres did not start:\n${lastLog}`);
}

async function launch(
  binDir: string,
  dataDir: string,
  socketDir: string,
  port: number,
  timeoutMs: number,
): Promise<{ child: ChildProcess } | { log: string }> {
  const settings = [
    "listen_addresses=127.0.0.1",
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "max_connections=200",
  ];
  const [cmd, args] = command(join(binDir, "postgres"), [
    "-D",
    dataDir,
    "-p",
    String(port),
    "-k",
    socketDir,
    ...settings.flatMap((s) => ["-c", s]),
  ]);
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString("utf8")).slice(-8_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  // an object, not a `let`: the flag flips in a callback, which control-flow narrowing cannot see
  const state = { exited: false };
  child.once("exit", () => {
    state.exited = true;
  });
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !state.exited) {
    if (await canConnect(url)) return { child };
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!state.exited) await stopServer(dataDir, child);
  return { log: state.exited ? log : `${log}\n(no connection within ${timeoutMs} ms)` };
}

/** The postmaster's pid (runuser stands between us and it when we are root). */
function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

async function stopServer(dataDir: string, child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const pid = postmasterPid(dataDir);
  try {
    // SIGINT = PostgreSQL's "fast" shutdown: disconnect clients, stop promptly.
    if (pid) process.kill(pid, "SIGINT");
    else child.kill("SIGINT");
  } catch {
    child.kill("SIGKILL");
  }
  const timer = setTimeout(() => {
    if (pid) {
      try {
        process.kill(pid, "SIGQUIT");
      } catch {
        // already gone
      }
    }
    child.kill("SIGKILL");
  }, 30_000);
  await exited;
  clearTimeout(timer);
}

function fixture(base: string, dataDir: string, port: number, child: ChildProcess): PostgresFixture {
  // If the test process dies without stop(), don't leave a postgres running behind it.
  const onExit = () => {
    const pid = postmasterPid(dataDir);
    try {
      if (pid) process.kill(pid, "SIGQUIT");
    } catch {
      // already gone
    }
  };
  process.once("exit", onExit);
  let stopped: Promise<void> | null = null;
  const url = (database = "postgres") => `postgresql://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return {
    port,
    url,
    async createDatabase(name) {
      const database = name ?? `conifer_${randomBytes(6).toString("hex")}`;
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database)) throw new Error(`unsafe database name ${database}`);
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${database}"`);
      } finally {
        await client.end();
      }
      return url(database);
    },
    stop() {
      stopped ??= (async () => {
        await stopServer(dataDir, child);
        process.removeListener("exit", onExit);
        rmSync(base, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
