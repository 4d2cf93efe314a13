/**
 * Change requests over REST (issue 14 item 10) against a real server (engine + SQLite): a CI job
 * with an API token proposes and submits a change with curl-style requests, cannot publish it, a
 * person approves and publishes it, and the job follows it to its release. The REST routes run
 * the tRPC procedures, so they refuse what tRPC refuses: no CSRF token, bad input, bad methods.
 */
import { describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { ADMIN_USER, apiToken, login } from "./auth.ts";
import { client, usersWithRoles, type Client } from "./helpers.ts";
import { rest } from "./rest.ts";
import { useServer } from "./server-fixture.ts";

let server: RunningServer;
let admin: Client;
let reviewer: Client;
let ci: string;

useServer({
  prefix: "conifer-rest-changes-",
  ready: async (s) => {
    server = s;
    ({ "rest-reviewer": reviewer } = await usersWithRoles(server, {
      "rest-reviewer": [{ pathPrefix: "/", role: "publisher" }],
    }));
    admin = client(server, ADMIN_USER);
    await admin.config.create.mutate({ path: "/ci/app.json", content: '{"v":1}' });
    await admin.config.create.mutate({ path: "/ci/db.yaml", content: "pool: 5\n" });
    await admin.releases.setPolicy.mutate({ prefix: "/ci", mode: "review" });
    ci = (await apiToken(server.url, ["/ci"], "read-write")).token;
  },
});

/** the CI job's call, with its token */
const call = (method: string, route: string, body?: unknown) => rest(server.url, method, route, { token: ci, body });

describe("change requests over REST", () => {
  it("a CI token proposes and submits; a person approves and publishes; the job follows it", async () => {
    const created = await call("POST", "/api/v1/changes", {
      title: "bump from CI",
      message: "pipeline #42",
      items: [
        { path: "/ci/app.json", content: '{"v":2}' },
        { path: "/ci/db.yaml", content: "pool: 10\n" },
      ],
      submit: true,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: "in_review", title: "bump from CI" });
    const id = created.body["id"] as string;

    // a token may never publish (or approve): a person does
    const refused = await call("POST", `/api/v1/changes/${id}/publish`);
    expect(refused).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
    expect((await admin.config.get.query({ path: "/ci/app.json" })).data).toBe('{"v":1}');

    await reviewer.changes.review.mutate({ id, verdict: "approve" });
    const release = await reviewer.changes.publish.mutate({ id });

    const followed = await call("GET", `/api/v1/changes/${id}`);
    expect(followed.status).toBe(200);
    expect(followed.body).toMatchObject({ change: { status: "published", releaseId: release.id } });
    const rel = await call("GET", `/api/v1/releases/${release.id}`);
    expect(rel).toMatchObject({ status: 200, body: { status: "published", zxid: release.zxid } });
    expect((rel.body["items"] as unknown[]).length).toBe(2);
    const listed = await call("GET", "/api/v1/changes?status=published");
    expect((listed.body as unknown as { id: string }[]).map((c) => c.id)).toContain(id);
  });

  it("refuses what tRPC refuses: no credentials, a session without its CSRF token, bad input and methods", async () => {
    const anonymous = await fetch(`${server.url}/api/v1/changes`, { method: "POST", body: "{}" });
    expect(anonymous.status).toBe(401);

    const s = await login(server.url, ADMIN_USER, "test-admin-password");
    const noCsrf = await fetch(`${server.url}/api/v1/changes`, {
      method: "POST",
      headers: { cookie: s.cookie, "content-type": "application/json" },
      body: JSON.stringify({ title: "x", items: [{ path: "/ci/app.json", content: "{}" }] }),
    });
    expect(noCsrf.status).toBe(403);

    expect((await call("POST", "/api/v1/changes", "{not json")).status).toBe(400);
    expect((await call("POST", "/api/v1/changes", { title: "x", items: [] })).body).toMatchObject({
      error: { code: "INVALID_INPUT" },
    });
    expect((await call("POST", "/api/v1/changes", { title: "x", items: [{ path: "/other/x.json" }] })).status).toBe(
      403,
    );
    expect((await call("GET", "/api/v1/changes/999999")).status).toBe(404);
    expect((await call("GET", "/api/v1/changes?status=bogus")).status).toBe(400);
    expect((await call("DELETE", "/api/v1/changes/1")).status).toBe(405);
    expect((await call("GET", "/api/v1/changes/1/publish")).status).toBe(405);
    // the change actions are not release routes
    expect((await call("POST", "/api/v1/releases/1/publish")).status).toBe(404);
  });

  it("schedules over tRPC and REST: a token may not, a publisher may; cancel; bad times refused", async () => {
    const created = await call("POST", "/api/v1/changes", {
      title: "scheduled from CI",
      items: [{ path: "/ci/app.json", content: '{"v":3}' }],
      submit: true,
    });
    const id = created.body["id"] as string;
    await reviewer.changes.review.mutate({ id, verdict: "approve" });
    const at = Date.now() + 3_600_000;
    const byToken = await call("POST", `/api/v1/changes/${id}/schedule`, { at });
    expect(byToken).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
    expect(await reviewer.changes.schedule.mutate({ id, at })).toMatchObject({ scheduledAt: at });
    const seen = await call("GET", `/api/v1/changes/${id}`);
    expect(seen.body).toMatchObject({ change: { scheduledAt: at, scheduledBy: "rest-reviewer", status: "approved" } });
    expect((await call("POST", `/api/v1/changes/${id}/unschedule`)).status).toBe(403);
    expect(await reviewer.changes.unschedule.mutate({ id })).toMatchObject({ scheduledAt: null });
    expect((await call("POST", `/api/v1/changes/${id}/schedule`, { at: "not a time" })).status).toBe(400);
    expect((await call("GET", `/api/v1/changes/${id}/schedule`)).status).toBe(405);
  });
});
