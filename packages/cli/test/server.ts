/**
 * A real Conifer server for the CLI suite, started as apps/server's own suites start theirs
 * (embedded engine + SQLite in a fresh temp dir, a free loopback port, a known admin password),
 * and an API token minted by signing in as the admin, as a user of the console would.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type RunningServer } from "@conifer/server";

export const ADMIN_PASSWORD = "test-admin-password";

export interface TestServer {
  server: RunningServer;
  dir: string;
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), "conifer-cli-"));
  const server = await startServer({
    port: 0,
    host: "127.0.0.1",
    dataDir: join(dir, "data"),
    serveConsole: false,
    adminPassword: ADMIN_PASSWORD,
  });
  return {
    server,
    dir,
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function trpc(url: string, proc: string, input: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/trpc/${proc}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { result?: { data?: unknown }; error?: { message?: string } };
  if (res.status !== 200) throw new Error(`${proc}: ${res.status} ${body.error?.message ?? ""}`);
  return { data: body.result?.data, cookies: res.headers.getSetCookie() };
}

/** An API token with this access on these prefixes, minted by the admin. */
export async function apiToken(
  url: string,
  prefixes: string[] = ["/"],
  access: "read" | "read-write" = "read-write",
): Promise<string> {
  const signed = await trpc(url, "auth.login", { username: "admin", password: ADMIN_PASSWORD });
  const session = {
    cookie: signed.cookies.map((c) => c.split(";")[0]).join("; "),
    "x-csrf-token": (signed.data as { csrfToken: string }).csrfToken,
  };
  const name = `cli-${Math.random().toString(36).slice(2, 8)}`;
  const made = await trpc(url, "tokens.create", { name, prefixes, access }, session);
  return (made.data as { token: string }).token;
}
