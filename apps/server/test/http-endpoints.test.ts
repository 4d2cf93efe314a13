/** REST read endpoint, health check, and what is served when the console is not built. */
import { mkdtemp } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import type { AppRouter } from "@conifer/api";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { client } from "./helpers.ts";
import { useServer } from "./server-fixture.ts";
import { apiToken, authedFetch, type TrpcBody } from "./auth.ts";

/** The REST endpoint's error answer */
interface RestError {
  error: { code: string; message: string };
}

let server: RunningServer;

useServer({
  subdir: "data",
  config: async (dir) => {
    // an empty directory stands in for an unbuilt console
    const consoleDir = await mkdtemp(join(dir, "console-"));
    return { serveConsole: true, consoleDir };
  },
  ready: (s) => {
    server = s;
  },
});

describe("HTTP endpoints", () => {
  it("GET /api/v1/config returns the snapshot; 404 when missing; 400 for a bad path", async () => {
    const c = await client(server).config.create.mutate({ path: "/rest/a.toml", content: 'x = "y"\n' });
    const { token } = await apiToken(server.url, ["/"], "read");
    const fetch = (u: string) => globalThis.fetch(u, { headers: { authorization: `Bearer ${token}` } });
    const res = await fetch(`${server.url}/api/v1/config?path=${encodeURIComponent("/rest/a.toml")}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      path: "/rest/a.toml",
      exists: true,
      version: 0,
      mzxid: c.stat.mzxid,
      data: 'x = "y"\n',
      format: "toml",
    });
    const missing = await fetch(`${server.url}/api/v1/config?path=/rest/none`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as RestError).error.code).toBe("NOT_FOUND");
    const bad = await fetch(`${server.url}/api/v1/config?path=no-slash`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as RestError).error.code).toBe("INVALID_PATH");
    expect((await fetch(`${server.url}/api/v1/config`)).status).toBe(400);
  });

  it("GET /healthz reports the backend", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, backend: { kind: "embedded", writable: true } });
  });

  it("serves a page saying the console is not built", async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/console is not built/i);
  });

  it("tRPC errors over HTTP carry data.conifer", async () => {
    const res = await authedFetch(
      server.url,
      "alice",
    )(`${server.url}/trpc/config.get?input=${encodeURIComponent(JSON.stringify({ path: "/rest/missing" }))}`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as TrpcBody;
    expect(body.error?.data?.conifer).toMatchObject({ code: "NOT_FOUND" });
    expect(body.error?.message).toMatch(/\/rest\/missing/);
  });

  it("queries may be sent as POST, so a whole document can be validated", async () => {
    const post = createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({ url: `${server.url}/trpc`, methodOverride: "POST", fetch: authedFetch(server.url, "alice") }),
      ],
    });
    const big = JSON.stringify({ items: Array.from({ length: 5000 }, (_, i) => ({ id: i, name: `item-${i}` })) });
    expect(big.length).toBeGreaterThan(64 * 1024);
    expect(await post.config.validate.query({ path: "/big.json", content: big })).toEqual({ ok: true });
    const bad = await post.config.validate.query({ path: "/big.json", content: `${big.slice(0, -1)},}` });
    expect(bad.ok).toBe(false);
  });
});
