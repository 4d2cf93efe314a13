/**
 * REST API v1 against a real server (embedded engine + SQLite): the OpenAPI document is walked and
 * every documented route called; ETag / If-None-Match / If-Match; invalid content answers its line
 * and column; the per-token rate limit. (No OpenAPI 3.1 validator is installed: the document gets
 * structural checks, and every operation is exercised against the live server.)
 */
import { describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { ADMIN_USER, apiToken, sessionHeaders } from "./auth.ts";
import { client, type Client } from "./helpers.ts";
import { rest } from "./rest.ts";
import { useServer } from "./server-fixture.ts";

let server: RunningServer;
let admin: Client;
let rw: string;

useServer({
  prefix: "conifer-api-v1-",
  ready: async (s) => {
    server = s;
    admin = client(server, ADMIN_USER);
    await admin.config.create.mutate({ path: "/v1", content: "" });
    await admin.config.create.mutate({ path: "/v1/app.json", content: '{"v":1}' });
    rw = (await apiToken(server.url, ["/"], "read-write")).token;
  },
});

type Op = {
  operationId: string;
  parameters: { name: string; in: string; required: boolean; schema?: { type?: string } }[];
  requestBody?: { content: { "application/json": { schema: { required: string[] } } } };
  responses: Record<string, unknown>;
};

/** An admin's tRPC history id for /v1/app.json (the diff and rollback routes need one). */
async function firstHistoryId(): Promise<string> {
  const page = await admin.history.list.query({ path: "/v1/app.json" });
  return (page.items[page.items.length - 1] as { id: string }).id;
}

describe("REST API v1", () => {
  it("the OpenAPI 3.1 document describes every route, and every documented route answers as documented", async () => {
    const res = await fetch(`${server.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, Op>>;
      components: unknown;
    };
    expect(doc.openapi).toBe("3.1.0");
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
    );
    // structural checks in place of a validator: ids unique, every response has a description
    expect(new Set(operations.map((o) => o.op.operationId)).size).toBe(operations.length);
    for (const { op } of operations) {
      for (const r of Object.values(op.responses)) expect(r).toHaveProperty("description");
      for (const p of op.parameters) expect(["query", "header"]).toContain(p.in);
    }
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual(
      [
        "GET /api/v1/keys",
        "PUT /api/v1/keys",
        "POST /api/v1/keys",
        "DELETE /api/v1/keys",
        "GET /api/v1/children",
        "GET /api/v1/search",
        "GET /api/v1/history",
        "GET /api/v1/diff",
        "POST /api/v1/rollback",
        "GET /api/v1/releases",
        "GET /api/v1/audit",
        "GET /api/v1/watch",
        "GET /api/v1/events",
      ].sort(),
    );

    // the walk signs in as the console does (session cookie + CSRF header): admin routes included
    const signedIn = await sessionHeaders(server.url, ADMIN_USER);
    const session = { cookie: signedIn.cookie, "x-csrf-token": signedIn.csrf };
    const historyId = await firstHistoryId();
    const current = await admin.config.get.query({ path: "/v1/app.json" });
    // a valid value for every field a route documents, by name
    const samples: Record<string, unknown> = {
      path: "/v1/walk.json",
      content: '{"walk":true}',
      query: "app",
      mode: "path",
      under: "/v1",
      fromId: historyId,
      toId: historyId,
      expectedVersion: current.stat.version,
      prefix: "/v1",
      timeout: 0,
      mzxid: "0",
    };
    const order = ["POST /api/v1/keys", "PUT /api/v1/keys"];
    operations.sort((a, b) => {
      const rank = (o: typeof a) => {
        const i = order.indexOf(`${o.method} ${o.path}`);
        return o.method === "DELETE" ? 99 : i === -1 ? 50 : i;
      };
      return rank(a) - rank(b);
    });
    for (const { path, method, op } of operations) {
      const qs = new URLSearchParams();
      for (const p of op.parameters) if (p.in === "query" && p.required) qs.set(p.name, String(samples[p.name]));
      if (path === "/api/v1/rollback" || path === "/api/v1/history") qs.delete("path");
      let body: Record<string, unknown> | undefined;
      if (op.requestBody) {
        const required = op.requestBody.content["application/json"].schema.required;
        body = Object.fromEntries(required.map((k) => [k, samples[k]]));
        if (path === "/api/v1/rollback") Object.assign(body, { path: "/v1/app.json", toId: historyId });
      }
      if (path === "/api/v1/history") qs.set("path", "/v1/app.json");
      if (path === "/api/v1/diff") qs.delete("path");
      const route = `${path}?${qs.toString()}`;
      if (path === "/api/v1/events") {
        const ctl = new AbortController();
        const r = await fetch(`${server.url}${route}`, { headers: session, signal: ctl.signal });
        expect(r.status, route).toBe(200);
        expect(r.headers.get("content-type")).toBe("text/event-stream");
        ctl.abort();
        continue;
      }
      const r = await fetch(`${server.url}${route}`, {
        method,
        headers: { ...session, "content-type": "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await r.text();
      expect(Object.keys(op.responses), `${method} ${route}: ${r.status} ${text}`).toContain(String(r.status));
      expect(r.status, `${method} ${route}: ${text}`).toBeLessThan(300);
    }
  });

  it("GET a key carries ETag = version; If-None-Match gives 304; PUT If-Match: stale → 412 with the current version", async () => {
    const auth = { authorization: `Bearer ${rw}` };
    const got = await fetch(`${server.url}/api/v1/keys?path=/v1/app.json`, { headers: auth });
    const body = (await got.json()) as { content: string; version: number; format: string };
    expect(body).toMatchObject({ content: '{"v":1}', format: "json" });
    expect(got.headers.get("etag")).toBe(`"${body.version}"`);
    const same = await fetch(`${server.url}/api/v1/keys?path=/v1/app.json`, {
      headers: { ...auth, "if-none-match": `"${body.version}"` },
    });
    expect(same.status).toBe(304);

    const put = await rest(server.url, "PUT", "/api/v1/keys?path=/v1/app.json", {
      token: rw,
      body: { content: '{"v":2}', message: "from REST" },
      headers: { "if-match": `"${body.version}"` },
    });
    expect(put.status).toBe(200);
    const changed = await fetch(`${server.url}/api/v1/keys?path=/v1/app.json`, {
      headers: { ...auth, "if-none-match": `"${body.version}"` },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).toBe(`"${body.version + 1}"`);

    const stale = await rest(server.url, "PUT", "/api/v1/keys?path=/v1/app.json", {
      token: rw,
      body: { content: '{"v":3}' },
      headers: { "if-match": `"${body.version}"` },
    });
    expect(stale).toMatchObject({
      status: 412,
      body: { error: { code: "CONFLICT", details: { currentVersion: body.version + 1 } } },
    });

    const invalid = await rest(server.url, "PUT", "/api/v1/keys?path=/v1/app.json", {
      token: rw,
      body: { content: '{\n  "v": 3,\n  oops\n}' },
      headers: { "if-match": String(body.version + 1) },
    });
    expect(invalid).toMatchObject({
      status: 400,
      body: { error: { code: "INVALID_CONTENT", details: { format: "json", line: 3 } } },
    });
    expect((invalid.body["error"] as { details: { column: number } }).details.column).toBeGreaterThan(0);
  });

  it("errors share one JSON shape with a stable code; the existing read endpoint still answers", async () => {
    expect(await rest(server.url, "GET", "/api/v1/keys?path=/v1/app.json")).toMatchObject({
      status: 401,
      body: { error: { code: "UNAUTHENTICATED" } },
    });
    expect(await rest(server.url, "GET", "/api/v1/keys?path=/v1/nope", { token: rw })).toMatchObject({
      status: 404,
      body: { error: { code: "NOT_FOUND" } },
    });
    expect(await rest(server.url, "GET", "/api/v1/keys?path=/v1/app.json&bogus=1", { token: rw })).toMatchObject({
      status: 400,
      body: { error: { code: "INVALID_INPUT" } },
    });
    const narrow = (await apiToken(server.url, ["/other"], "read")).token;
    expect(await rest(server.url, "GET", "/api/v1/keys?path=/v1/app.json", { token: narrow })).toMatchObject({
      status: 403,
      body: { error: { code: "FORBIDDEN" } },
    });
    expect((await rest(server.url, "GET", "/api/v1/config?path=/v1/app.json", { token: rw })).status).toBe(200);
  });
});
