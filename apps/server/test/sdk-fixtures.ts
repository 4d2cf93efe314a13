/**
 * Fixtures for the SDK end-to-end suites (sdk-*.test.ts, zk-failover*.test.ts): a tRPC client to
 * publish through, SDK clients with the suites' read token, a TCP proxy that can cut an SDK off a
 * running server, and polling with the SDK suites' longer deadline. The server itself starts
 * through helpers.ts `start`; the client pool and recorder come from @conifer/sdk/testing.
 */
import { connect, createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import type { AppRouter } from "@conifer/api";
import { clientPool, type ClientPool } from "@conifer/sdk/testing";
import { afterEach, expect } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { authedFetch, sdkToken } from "./auth.ts";
import { waitFor } from "./helpers.ts";
import { useServer } from "./server-fixture.ts";

export { sdkToken };

/** Polls until `check` returns truthy; the deadline is a ceiling for hangs, not a speed target. */
export function eventually<T>(
  check: () => T | Promise<T>,
  what = "condition",
  timeoutMs = 60_000,
): Promise<NonNullable<T>> {
  return waitFor(check, what, timeoutMs, 25);
}

export type Api = ReturnType<typeof apiClient>;

export function apiClient(url: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({ url: `${url}/trpc`, headers: { "x-conifer-source": "api" }, fetch: authedFetch(url, "sdk-e2e") }),
    ],
  });
}

/** Creates the path, or updates it at its current version; returns the new stat. */
export async function publish(api: Api, path: string, content: string) {
  try {
    const { stat } = await api.config.get.query({ path });
    return (await api.config.update.mutate({ path, content, expectedVersion: stat.version, message: "e2e" })).stat;
  } catch (err) {
    const code =
      err instanceof TRPCClientError
        ? (err.data as { conifer?: { code?: string } } | undefined)?.conifer?.code
        : undefined;
    if (code !== "NOT_FOUND") throw err;
    return (await api.config.create.mutate({ path, content, mode: "persistent", message: "e2e" })).stat;
  }
}

/** SDK clients closed by `closeAll`, each with the read token minted for its server. */
export function sdkClients(): ClientPool {
  return clientPool((options) => ({ reconnect: { minDelayMs: 50, maxDelayMs: 500 }, token: sdkToken(options.url) }));
}

/**
 * A suite of SDKs against one real server (useServer): `ready` gets the server and a tRPC client
 * to publish with; the SDK clients are closed after every test, which must have logged no
 * warning (against a healthy server nothing is worth one: malformed notices, refused requests...).
 */
export function useSdkServer(prefix: string, ready: (server: RunningServer, api: Api) => void): ClientPool {
  const clients = sdkClients();
  useServer({ prefix, ready: (s) => ready(s, apiClient(s.url)) });
  afterEach(async () => {
    await clients.closeAll();
    expect(clients.warnings.splice(0)).toEqual([]);
  });
  return clients;
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
