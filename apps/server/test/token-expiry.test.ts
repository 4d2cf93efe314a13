/**
 * API token expiry (issue 13 item 9): a token created with a lifetime, or the default lifetime
 * an admin sets (kept in the database), and an expired token refused with 401 and a message
 * saying it expired through every door: REST, tRPC, the audit export and the socket.io handshake.
 */
import { createHash, randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { ensureUser, login, mutate } from "./auth.ts";
import { client, failure } from "./helpers.ts";
import { useServer } from "./server-fixture.ts";
import { connectOutcome, socketsOfSuite } from "./sockets.ts";

const DAY = 86_400_000;
let server: RunningServer;
const sockets = socketsOfSuite();

useServer({
  subdir: "data",
  ready: async (s) => {
    server = s;
    await client(server).config.create.mutate({ path: "/exp/a.json", content: "{}" });
  },
  closing: () => {
    sockets.closeAll();
  },
});

/** A token that expired a second ago, written as the server would have (only its digest is kept). */
async function expiredToken(name: string): Promise<string> {
  const secret = `cnf_${randomBytes(24).toString("base64url")}`;
  await server.history.accounts.createToken({
    name,
    tokenHash: createHash("sha256").update(secret).digest("hex"),
    prefixes: ["/"],
    access: "read-write",
    createdBy: "admin",
    expiresAt: Date.now() - 1000,
  });
  return secret;
}

describe("API token lifetimes", () => {
  it("creates tokens that never expire, expire after the days asked, or after the admin's default", async () => {
    const c = client(server);
    expect(await c.tokens.settings.query()).toEqual({ defaultLifetimeDays: null });
    const never = await c.tokens.create.mutate({ name: "never", prefixes: ["/"], access: "read" });
    expect(never.record.expiresAt).toBeNull();

    const before = Date.now();
    const week = await c.tokens.create.mutate({ name: "week", prefixes: ["/"], access: "read", expiresInDays: 7 });
    expect(week.record.expiresAt).toBeGreaterThanOrEqual(before + 7 * DAY);
    expect(week.record.expiresAt).toBeLessThanOrEqual(Date.now() + 7 * DAY);

    await c.tokens.setDefaultLifetime.mutate({ days: 30 });
    expect(await c.tokens.settings.query()).toEqual({ defaultLifetimeDays: 30 });
    const dflt = await c.tokens.create.mutate({ name: "default", prefixes: ["/"], access: "read" });
    expect(dflt.record.expiresAt).toBeGreaterThanOrEqual(before + 30 * DAY);
    const forever = await c.tokens.create.mutate({
      name: "forever",
      prefixes: ["/"],
      access: "read",
      expiresInDays: null,
    });
    expect(forever.record.expiresAt).toBeNull();
    const listed = await c.tokens.list.query();
    expect(listed.find((t) => t.name === "week")?.expiresAt).toBe(week.record.expiresAt);

    // a token with a lifetime works until it expires
    const ok = await fetch(`${server.url}/api/v1/config?path=/exp/a.json`, {
      headers: { authorization: `Bearer ${dflt.token}` },
    });
    expect(ok.status).toBe(200);

    expect(
      (await failure(c.tokens.create.mutate({ name: "x", prefixes: ["/"], access: "read", expiresInDays: 0 }))).code,
    ).toBe("INVALID_INPUT");
    await c.tokens.setDefaultLifetime.mutate({ days: null });
    expect(await c.tokens.settings.query()).toEqual({ defaultLifetimeDays: null });
    const audit = await c.audit.list.query({ action: "tokens.defaultLifetime" });
    expect(audit.items.map((e) => e.summary)).toEqual([
      "API tokens no longer expire by default",
      "Set the default API token lifetime to 30 days",
    ]);
  });

  it("lets only admins set the default lifetime", async () => {
    const pw = await ensureUser(server.url, "ed", [{ pathPrefix: "/", role: "editor" }]);
    const ed = await login(server.url, "ed", pw);
    const err = await mutate(server.url, ed, "tokens.setDefaultLifetime", { days: 1 }).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe("FORBIDDEN");
  });

  it("refuses an expired token with 401 and says it expired: REST, tRPC, audit export, socket.io", async () => {
    const secret = await expiredToken("stale-ci");
    const headers = { authorization: `Bearer ${secret}` };

    const rest = await fetch(`${server.url}/api/v1/config?path=/exp/a.json`, { headers });
    expect(rest.status).toBe(401);
    const restBody = (await rest.json()) as { error: { code: string; message: string } };
    expect(restBody.error.code).toBe("UNAUTHENTICATED");
    expect(restBody.error.message).toMatch(/API token "stale-ci" expired on \d{4}-\d\d-\d\dT/);

    const trpc = await fetch(`${server.url}/trpc/cluster.info`, { headers });
    expect(trpc.status).toBe(401);
    const trpcBody = (await trpc.json()) as { error: { message: string; data: { conifer: { code: string } } } };
    expect(trpcBody.error.data.conifer.code).toBe("UNAUTHENTICATED");
    expect(trpcBody.error.message).toContain('API token "stale-ci" expired');

    const write = await fetch(`${server.url}/trpc/config.update`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ path: "/exp/a.json", content: '{"x":1}', expectedVersion: 0 }),
    });
    expect(write.status).toBe(401);

    const exp = await fetch(`${server.url}/api/v1/audit/export?format=csv`, { headers });
    expect(exp.status).toBe(401);
    expect(((await exp.json()) as { error: { message: string } }).error.message).toContain("expired");

    const outcome = await connectOutcome(sockets.open(server.url, { auth: { token: secret } }));
    expect(outcome).toMatch(/^UNAUTHENTICATED: API token "stale-ci" expired/);

    // an unknown token still gets the general answer (nothing is revealed about it)
    const unknown = await fetch(`${server.url}/api/v1/config?path=/exp/a.json`, {
      headers: { authorization: "Bearer cnf_nope" },
    });
    expect(((await unknown.json()) as { error: { message: string } }).error.message).not.toContain("expired");
  });
});
