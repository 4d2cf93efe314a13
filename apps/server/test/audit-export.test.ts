/**
 * The audit log through the API: readable rows with version links (audit.list), the filter
 * facets, and GET /api/v1/audit/export streaming every matching row as CSV or JSON (more rows
 * than one page), admin only.
 */

import { describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { ADMIN_USER, apiToken, ensureUser, login, sessionHeaders } from "./auth.ts";
import { client } from "./helpers.ts";
import { useServer } from "./server-fixture.ts";

let server: RunningServer;

useServer({
  subdir: "data",
  ready: async (s) => {
    server = s;
    const c = client(server, "alice");
    const created = await c.config.create.mutate({ path: "/ax/a.json", content: '{"n":0}' });
    await c.config.update.mutate({ path: "/ax/a.json", content: '{"n":1}', expectedVersion: created.stat.version });
    const versions = await c.history.list.query({ path: "/ax/a.json" });
    const first = versions.items.find((v) => v.version === 0);
    await c.history.rollback.mutate({ path: "/ax/a.json", toId: first?.id ?? "", expectedVersion: 1 });
    await client(server, "bob").config.create.mutate({ path: "/other/b.json", content: "{}" });
    // more rows than one export page (500), so the export must walk every page
    for (let i = 0; i < 520; i++)
      await server.history.audit({ actor: "bulk", action: "bulk.row", path: `/bulk/${i}`, source: "system" });
  },
});

async function exportAs(query: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${server.url}/api/v1/audit/export?${query}`, { headers });
}

/** RFC 4180: quoted cells may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    const next = text.charAt(i + 1);
    if (quoted) {
      if (ch === '"' && next === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && next === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  return rows;
}

async function adminHeaders(): Promise<Record<string, string>> {
  const s = await sessionHeaders(server.url, ADMIN_USER);
  return { cookie: s.cookie };
}

describe("audit log API", () => {
  it("lists readable rows whose versions link to their history entries, filtered by action", async () => {
    const c = client(server, "alice");
    const page = await c.audit.list.query({ path: "/ax", action: "history.rollback" });
    expect(page.items).toHaveLength(1);
    const row = page.items[0];
    expect(row?.summary).toBe("Rolled back to version 0, published as version 2");
    const history = await c.history.list.query({ path: "/ax/a.json" });
    const id = (v: number) => history.items.find((h) => h.version === v)?.id;
    expect(row?.versions).toEqual([
      { role: "from", version: 0, entryId: id(0) },
      { role: "to", version: 2, entryId: id(2) },
    ]);
    const family = await c.audit.list.query({ path: "/ax", action: "config.*" });
    expect(family.items.map((e) => [e.action, e.summary])).toEqual([
      ["config.update", "Published version 1"],
      ["config.create", "Created version 0"],
    ]);
    const facets = await c.audit.facets.query();
    expect(facets.actions).toEqual(expect.arrayContaining(["config.create", "config.update", "history.rollback"]));
    expect(facets.actors).toEqual(expect.arrayContaining(["alice", "bob", "bulk"]));
  });

  it("exports every matching row as CSV, filters applied on the server", async () => {
    const res = await exportAs("format=csv&path=/ax&author=alice", await adminHeaders());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="conifer-audit-.*\.csv"$/);
    const [head, ...rows] = parseCsv(await res.text());
    expect(head).toEqual(["time", "actor", "action", "path", "summary", "versions", "source", "ip", "detail"]);
    expect(rows.map((r) => r.slice(1, 6))).toEqual([
      ["alice", "history.rollback", "/ax/a.json", "Rolled back to version 0, published as version 2", "from v0, v2"],
      ["alice", "config.update", "/ax/a.json", "Published version 1", "v1"],
      ["alice", "config.create", "/ax/a.json", "Created version 0", "v0"],
    ]);
    expect(rows[0]?.[8]).toMatch(/^to entry \d+ \(v0\) → v2$/);

    const all = await exportAs("format=csv&action=bulk.row", await adminHeaders());
    const bulk = parseCsv(await all.text()).slice(1);
    expect(bulk).toHaveLength(520);
    expect(new Set(bulk.map((r) => r[3])).size).toBe(520);
  });

  it("exports JSON with the time range applied", async () => {
    const c = client(server, "alice");
    const rows = (await c.audit.list.query({ path: "/ax" })).items;
    const update = rows.find((r) => r.action === "config.update");
    if (!update) throw new Error("no update row");
    const res = await exportAs(`format=json&path=/ax&since=${update.at}&until=${update.at + 1}`, await adminHeaders());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const body = (await res.json()) as Record<string, unknown>[];
    expect(body).toEqual([
      {
        at: new Date(update.at).toISOString(),
        actor: "alice",
        action: "config.update",
        path: "/ax/a.json",
        summary: "Published version 1",
        versions: [{ role: "to", version: 1 }],
        source: "console",
        ip: expect.any(String) as string,
        detail: "version 1",
      },
    ]);
    const bulk = (await (await exportAs("format=json&path=/bulk", await adminHeaders())).json()) as unknown[];
    expect(bulk).toHaveLength(520);
  });

  it("is admin only: 401 without credentials, 403 for a viewer and for an API token, 400 for a bad filter", async () => {
    const none = await exportAs("format=csv", {});
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe("UNAUTHENTICATED");

    const password = await ensureUser(server.url, "vera", [{ pathPrefix: "/", role: "viewer" }]);
    const vera = await login(server.url, "vera", password);
    const viewer = await exportAs("format=csv", { cookie: vera.cookie });
    expect(viewer.status).toBe(403);
    expect(await viewer.text()).not.toContain("alice");

    const { token } = await apiToken(server.url, ["/"], "read-write");
    expect((await exportAs("format=csv", { authorization: `Bearer ${token}` })).status).toBe(403);

    expect((await exportAs("format=xml", await adminHeaders())).status).toBe(400);
    expect((await exportAs("format=csv&since=yesterday", await adminHeaders())).status).toBe(400);
    const post = await fetch(`${server.url}/api/v1/audit/export?format=csv`, {
      method: "POST",
      headers: await adminHeaders(),
    });
    expect(post.status).toBe(405);
  });
});
