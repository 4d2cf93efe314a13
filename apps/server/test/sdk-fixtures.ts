/**
 * Fixtures for the SDK end-to-end suites (sdk-*.test.ts): a real server on a temp data dir,
 * a tRPC client to publish through, SDK clients that are closed afterwards, a TCP proxy that
 * can cut an SDK off a running server, and polling with a deadline.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { connect, createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import type { AppRouter } from "@conifer/api";
import { createClient, type ClientOptions, type ConiferClient, type ValueMeta } from "@conifer/sdk";
import { startServer, type RunningServer } from "../src/index.ts";
import { ADMIN_PASSWORD, authedFetch, mintSdkToken, sdkToken } from "./auth.ts";

export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `conifer-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function startTestServer(dataDir: string, port = 0): Promise<RunningServer> {
  const server = await startServer({ port, host: "127.0.0.1", dataDir, serveConsole: false, quiet: true, adminPassword: ADMIN_PASSWORD });
  try {
    await mintSdkToken(server.url);
  } catch (err) {
    await server.close();
    throw err;
  }
  return server;
}

export { sdkToken };

/** Polls until `check` returns truthy; the deadline is a ceiling for hangs, not a speed target. */
export async function eventually<T>(check: () => T | Promise<T>, what = "condition", timeoutMs = 60_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export type Api = ReturnType<typeof apiClient>;

export function apiClient(url: string) {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${url}/trpc`, headers: { "x-conifer-source": "api" }, fetch: authedFetch(url, "sdk-e2e") })],
  });
}

/** Creates the path, or updates it at its current version; returns the new stat. */
export async function publish(api: Api, path: string, content: string) {
  try {
    const { stat } = await api.config.get.query({ path });
    return (await api.config.update.mutate({ path, content, expectedVersion: stat.version, message: "e2e" })).stat;
  } catch (err) {
    const code = err instanceof TRPCClientError ? (err.data as { conifer?: { code?: string } } | undefined)?.conifer?.code : undefined;
    if (code !== "NOT_FOUND") throw err;
    return (await api.config.create.mutate({ path, content, mode: "persistent", message: "e2e" })).stat;
  }
}

export function sdkClients() {
  const clients: ConiferClient[] = [];
  const warnings: string[] = [];
  return {
    warnings,
    make(options: ClientOptions): ConiferClient {
      const c = createClient({
        // generous: a loaded CI machine must not turn slowness into UNREACHABLE
        requestTimeoutMs: 60_000,
        reconnect: { minDelayMs: 50, maxDelayMs: 500 },
        logger: { warn: (m) => warnings.push(m) },
        token: sdkToken(options.url),
        ...options,
      });
      clients.push(c);
      return c;
    },
    async closeAll(): Promise<void> {
      await Promise.all(clients.splice(0).map((c) => c.close()));
    },
  };
}

export function recorder() {
  const calls: { value: unknown; meta: ValueMeta }[] = [];
  return {
    calls,
    cb: (value: unknown, meta: ValueMeta) => {
      calls.push({ value, meta });
    },
    mzxids: () => calls.map((c) => BigInt(c.meta.mzxid)),
  };
}

export function strictlyIncreasing(xs: bigint[]): boolean {
  return xs.every((x, i) => i === 0 || x > xs[i - 1]!);
}

/**
 * A TCP proxy in front of a server: `cut()` drops every connection through it and refuses new
 * ones until `restore()`, which is how a test takes one SDK off a server that keeps running.
 */
export class CuttableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private open = true;
  port = 0;

  constructor(private readonly targetPort: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((client) => {
      if (!this.open) return client.destroy();
      const upstream = connect(this.targetPort, "127.0.0.1");
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => s.destroy());
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  cut(): void {
    this.open = false;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.open = true;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
