/**
 * Fixtures for the server's integration suites: a real server on a free loopback port over a
 * real engine and SQLite in a fresh temp dir, typed tRPC clients (signed in as users created with
 * their roles, or with an API token), and polling with a deadline.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AppRouter } from "@conifer/api";
import { eventually } from "@conifer/sdk/testing";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { startServer, type RunningServer, type ServerConfig } from "../src/index.ts";
import { ADMIN_PASSWORD, authedFetch, ensureUser, mintSdkToken } from "./auth.ts";

export async function tempDir(prefix = "conifer-server-"): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Starts a server with the fixtures' admin password and mints the read token SDKs in the suite use. */
export async function start(dataDir: string, extra: Partial<ServerConfig> = {}): Promise<RunningServer> {
  const server = await startServer({
    port: 0,
    host: "127.0.0.1",
    dataDir,
    serveConsole: false,
    adminPassword: ADMIN_PASSWORD,
    ...extra,
  });
  try {
    await mintSdkToken(server.url);
  } catch (err) {
    await server.close();
    throw err;
  }
  return server;
}

/** A tRPC client signed in as `author` (created as an admin user on first use), like the console. */
export function client(server: { url: string }, author = "alice", source = "console") {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${server.url}/trpc`,
        headers: () => ({ "x-conifer-source": source }),
        fetch: authedFetch(server.url, author),
      }),
    ],
  });
}

export type Client = ReturnType<typeof client>;

/** A tRPC client that authenticates with an API token, as a CI job or a script would. */
export function tokenClient(server: { url: string }, token: string): Client {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${server.url}/trpc`, headers: () => ({ authorization: `Bearer ${token}` }) })],
  });
}

/** A suite's cast: each user created with these roles (unless it exists), and a client signed in as it. */
export async function usersWithRoles<N extends string>(
  server: { url: string },
  roles: Record<N, { pathPrefix: string; role: string }[]>,
): Promise<Record<N, Client>> {
  const clients = {} as Record<N, Client>;
  for (const name of Object.keys(roles) as N[]) {
    await ensureUser(server.url, name, roles[name]);
    clients[name] = client(server, name);
  }
  return clients;
}

/** The `data.conifer` payload of a failed call. */
export async function failure(
  p: Promise<unknown>,
): Promise<{ code: string; message: string; details: Record<string, unknown>; httpStatus?: number }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TRPCClientError) {
      const data = err.data as {
        conifer: { code: string; message: string; details: Record<string, unknown> };
        httpStatus?: number;
      };
      return { ...data.conifer, httpStatus: data.httpStatus };
    }
    throw err;
  }
  throw new Error("expected the call to fail");
}

/** Polls `check` every `intervalMs` until it returns a truthy value; fails after a generous deadline (hangs only). */
export function waitFor<T>(
  check: () => Promise<T> | T,
  what: string,
  deadlineMs = 30_000,
  intervalMs = 50,
): Promise<NonNullable<T>> {
  return eventually(check, what, deadlineMs, intervalMs);
}
