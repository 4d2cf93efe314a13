/**
 * The Conifer server in its own process (embedded engine, SQLite history, temp data dir), so the
 * load generators' CPU and memory are not counted as the server's. Answers `rss` (after a full
 * GC when run with --expose-gc), `write` and `close` over IPC. `write` publishes through the
 * domain function behind tRPC `config.create` / `config.update` (the same write path: intent,
 * backend write, history, audit), without HTTP, so the benchmarks need no credentials; it
 * answers with the new version and the time it was acknowledged (same clock in every process).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeHeapSnapshot } from "node:v8";
import { startServer } from "@conifer/server";
import { memoryAfterGc, serve } from "./procs.ts";
import { now } from "./stats.ts";

const dir = await mkdtemp(join(tmpdir(), "conifer-bench-server-"));
const ADMIN = { user: "bench-admin", password: "bench-password-1234" };
const config = {
  port: 0,
  host: "127.0.0.1",
  dataDir: join(dir, "data"),
  serveConsole: false,
  quiet: true,
  adminUser: ADMIN.user,
  adminPassword: ADMIN.password,
};
const server = await startServer(config);
const token = await readToken();

/**
 * Once accounts exist, SDK connections need an API token: sign in as the bootstrap admin and
 * create a read token for "/" (in process, like an operator would in the console).
 */
async function readToken(): Promise<string | undefined> {
  const auth = (server as { auth?: AuthLike }).auth;
  if (!auth) return undefined;
  const origin = { source: "api" as const, ip: "127.0.0.1" };
  const { principal } = await auth.login(ADMIN.user, ADMIN.password, origin);
  return (await auth.tokens.create(principal, { name: "bench", prefixes: ["/"], access: "read" }, origin)).token;
}
interface AuthLike {
  login(u: string, p: string, o: { source: "api"; ip: string }): Promise<{ principal: unknown }>;
  tokens: {
    create(
      p: unknown,
      input: { name: string; prefixes: string[]; access: "read" },
      o: { source: "api"; ip: string },
    ): Promise<{ token: string }>;
  };
}

const actor = { author: "bench", source: "api" as const };

serve({
  async write(msg) {
    const path = String(msg.path);
    const content = String(msg.content);
    const { stat } =
      typeof msg.expectedVersion === "number"
        ? await server.conifer.config.update(actor, { path, content, expectedVersion: msg.expectedVersion })
        : await server.conifer.config.create(actor, { path, content, mode: "persistent" });
    return { version: stat.version, at: now() };
  },
  /** a heap snapshot written to msg.file (for finding what each connection keeps alive) */
  heap(msg) {
    // a failing snapshot still rejects, as an async method would
    return new Promise<Record<string, unknown>>((resolve) => {
      (globalThis as { gc?: () => void }).gc?.();
      resolve({ file: writeHeapSnapshot(String(msg.file)) });
    });
  },
  rss() {
    return new Promise<Record<string, unknown>>((resolve) => {
      resolve(memoryAfterGc());
    });
  },
  async close() {
    await server.close();
    await rm(dir, { recursive: true, force: true });
    setTimeout(() => process.exit(0), 10);
  },
});
process.send?.({ type: "ready", url: server.url, pid: process.pid, token });
