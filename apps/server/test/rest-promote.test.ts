/**
 * Promote between environments over REST (issue 14 item 8) against a real server (engine +
 * SQLite): a CI job with an API token proposes a whole key and one field from staging onto prod
 * and submits it; the change waits for review on prod, a person approves and publishes it. A
 * token without read on the source, or without write on the target, is refused.
 */
import { describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { ADMIN_USER, apiToken } from "./auth.ts";
import { client, usersWithRoles, type Client } from "./helpers.ts";
import { rest } from "./rest.ts";
import { useServer } from "./server-fixture.ts";

let server: RunningServer;
let admin: Client;
let reviewer: Client;

useServer({
  prefix: "conifer-rest-promote-",
  ready: async (s) => {
    server = s;
    ({ "promote-reviewer": reviewer } = await usersWithRoles(server, {
      "promote-reviewer": [{ pathPrefix: "/", role: "publisher" }],
    }));
    admin = client(server, ADMIN_USER);
    const files: [string, string][] = [
      ["/pay/staging/limits.json", '{\n  "max": 5000,\n  "currency": "EUR"\n}\n'],
      ["/pay/prod/limits.json", '{\n  "max": 1000,\n  "currency": "USD"\n}\n'],
      ["/pay/staging/flags.yaml", "beta: true\n"],
    ];
    for (const [path, content] of files) await admin.config.create.mutate({ path, content });
    await admin.releases.setPolicy.mutate({ prefix: "/pay/prod", mode: "review" });
  },
});

const promote = (token: string, body: unknown) =>
  rest(server.url, "POST", "/api/v1/environments/promote", { token, body });

describe("POST /api/v1/environments/promote", () => {
  it("a CI token promotes a key and a field as a change; it follows prod's review policy", async () => {
    const { token } = await apiToken(server.url, ["/pay"], "read-write");
    const r = await promote(token, {
      from: "/pay/staging",
      to: "/pay/prod",
      keys: ["flags.yaml"],
      fields: [{ key: "limits.json", paths: [["max"]] }],
      submit: true,
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: "in_review", title: "Promote /pay/staging → /pay/prod" });
    const items = (r.body["items"] as { path: string; op: string; content: string }[]).sort((a, b) =>
      a.path.localeCompare(b.path),
    );
    expect(items.map((i) => [i.path, i.op, i.content])).toEqual([
      ["/pay/prod/flags.yaml", "create", "beta: true\n"],
      ["/pay/prod/limits.json", "update", '{\n  "max": 5000,\n  "currency": "USD"\n}\n'],
    ]);
    const id = r.body["id"] as string;
    expect((await admin.config.get.query({ path: "/pay/prod/limits.json" })).data).toContain('"max": 1000');
    await reviewer.changes.review.mutate({ id, verdict: "approve" });
    await reviewer.changes.publish.mutate({ id });
    expect((await admin.config.get.query({ path: "/pay/prod/limits.json" })).data).toContain('"max": 5000');
    expect((await admin.config.get.query({ path: "/pay/prod/flags.yaml" })).data).toBe("beta: true\n");
  });

  it("refuses a token that cannot read the source or write the target, bad input and other methods", async () => {
    const prodOnly = (await apiToken(server.url, ["/pay/prod"], "read-write")).token;
    const readOnly = (await apiToken(server.url, ["/pay"], "read")).token;
    const body = { from: "/pay/staging", to: "/pay/prod", keys: ["limits.json"] };
    expect(await promote(prodOnly, body)).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
    expect(await promote(readOnly, body)).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
    const rw = (await apiToken(server.url, ["/pay"], "read-write")).token;
    expect(await promote(rw, { from: "/pay/staging", to: "/pay/prod" })).toMatchObject({
      status: 400,
      body: { error: { code: "INVALID_INPUT" } },
    });
    expect((await promote(rw, { ...body, extra: 1 })).status).toBe(400);
    const get = await fetch(`${server.url}/api/v1/environments/promote`, {
      headers: { authorization: `Bearer ${rw}` },
    });
    expect(get.status).toBe(405);
  });
});
