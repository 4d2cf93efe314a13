/**
 * Secure by default (issue 6), against a real server: nothing is reachable without credentials
 * (every tRPC procedure, enumerated from the router, and the socket.io handshake), roles per
 * path, token scopes, revocation cutting live sockets, CSRF, login lockout, audit, headers.
 */
import { appRouter } from "@conifer/api";
import type { ClientToServerEvents } from "@conifer/protocol";
import { describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import {
  ADMIN_PASSWORD,
  ADMIN_USER,
  apiToken,
  ensureUser,
  login,
  mutate,
  sessionHeaders,
  type Session,
  type TrpcBody,
} from "./auth.ts";
import { client, waitFor } from "./helpers.ts";
import { useServer } from "./server-fixture.ts";
import { connectOutcome, socketsOfSuite, type ClientSocket, type Sockets } from "./sockets.ts";

let server: RunningServer;
const sockets = socketsOfSuite();

useServer({
  prefix: "conifer-security-",
  ready: async (s) => {
    server = s;
    const api = client(server, "seeder");
    for (const path of ["/a", "/b"]) await api.config.create.mutate({ path, content: "" });
    await api.config.create.mutate({ path: "/a/app.json", content: '{"v":1}' });
    await api.config.create.mutate({ path: "/b/secret.json", content: '{"key":"b-only"}' });
    await api.config.update.mutate({ path: "/a/app.json", content: '{"v":2}', expectedVersion: 0 });
  },
  closing: () => {
    sockets.closeAll();
  },
});

/** Every procedure of the router with its type, so procedures added later are covered too. */
function procedures(): { path: string; type: "query" | "mutation" | "subscription" }[] {
  const record = (
    appRouter as unknown as {
      _def: { procedures: Record<string, { _def: { type: "query" | "mutation" | "subscription" } }> };
    }
  )._def.procedures;
  return Object.entries(record).map(([path, p]) => ({ path, type: p._def.type }));
}

async function call(
  path: string,
  type: string,
  input: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: TrpcBody | null }> {
  const url = `${server.url}/trpc/${path}`;
  const res =
    type === "query"
      ? await fetch(input === undefined ? url : `${url}?input=${encodeURIComponent(JSON.stringify(input))}`, {
          headers,
        })
      : await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          ...(input === undefined ? {} : { body: JSON.stringify(input) }),
        });
  return { status: res.status, body: (await res.json().catch(() => null)) as TrpcBody | null };
}

const asSession = (s: Session, csrf = true): Record<string, string> => ({
  cookie: s.cookie,
  ...(csrf ? { "x-csrf-token": s.csrf } : {}),
});

const socketWith = (auth: Record<string, unknown>, extra: Parameters<Sockets["open"]>[1] = {}): ClientSocket =>
  sockets.open(server.url, { auth, ...extra });

function ask(
  s: ClientSocket,
  event: "subscribe" | "fetch",
  payload: unknown,
): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }> {
  return new Promise((resolve) =>
    (s.emit as (e: string, p: unknown, ack: (r: never) => void) => void)(event, payload, resolve),
  );
}

describe("nothing without credentials", () => {
  it("every tRPC procedure refuses an anonymous, a forged-cookie and a bogus-token caller (401); only auth.login is open", async () => {
    const all = procedures();
    expect(all.length).toBeGreaterThanOrEqual(20);
    const open: string[] = [];
    for (const { path, type } of all) {
      const variants: Record<string, string>[] = [
        {},
        { cookie: "conifer_session=forged; conifer_csrf=x", "x-csrf-token": "x" },
        { authorization: "Bearer cnf_bogus" },
      ];
      for (const headers of variants) {
        const r = await call(path, type, { path: "/a/app.json" }, headers);
        if (path === "auth.login") {
          expect(r.status).toBe(400); // reachable, but only to sign in
          continue;
        }
        if (r.status !== 401) open.push(`${path} ${JSON.stringify(headers)} → ${r.status}`);
        else expect(r.body?.error?.data?.conifer?.code).toBe("UNAUTHENTICATED");
      }
    }
    expect(open).toEqual([]);
  });

  it("the socket.io handshake refuses no token, a bogus token and a forged cookie; no event is ever handled", async () => {
    const events: (keyof ClientToServerEvents)[] = [
      "hello",
      "subscribe",
      "unsubscribe",
      "fetch",
      "applied",
      "watchTree",
      "unwatchTree",
    ];
    for (const auth of [{}, { token: "cnf_bogus" }, { token: 42 }]) {
      const s = socketWith(auth);
      expect(await connectOutcome(s)).toMatch(/UNAUTHENTICATED/);
    }
    const forged = socketWith({}, { extraHeaders: { cookie: "conifer_session=forged" }, transports: ["polling"] });
    expect(await connectOutcome(forged)).toMatch(/UNAUTHENTICATED/);
    // a client that emits anyway gets nothing back: the events never reach the server
    const s = socketWith({});
    await connectOutcome(s);
    let answered = 0;
    for (const e of events)
      (s.emit as (e: string, p: unknown, ack: () => void) => void)(
        e,
        { path: "/a/app.json", paths: ["/a/app.json"] },
        () => answered++,
      );
    // refused and destroyed (not active): it never connects again, so its buffered emits are never sent
    expect(s.active).toBe(false);
    expect(s.connected).toBe(false);
    expect(s.sendBuffer).toHaveLength(events.length);
    expect(answered).toBe(0);
  });

  it("the REST read needs a token or a session", async () => {
    expect((await fetch(`${server.url}/api/v1/config?path=/a/app.json`)).status).toBe(401);
    expect(
      (await fetch(`${server.url}/api/v1/config?path=/a/app.json`, { headers: { authorization: "Bearer nope" } }))
        .status,
    ).toBe(401);
  });
});

describe("roles per path", () => {
  it("a viewer reads but cannot publish, delete or roll back; an editor edits but cannot roll back; a publisher can", async () => {
    await ensureUser(server.url, "vera", [{ pathPrefix: "/a", role: "viewer" }]);
    await ensureUser(server.url, "ed", [{ pathPrefix: "/a", role: "editor" }]);
    await ensureUser(server.url, "pub", [{ pathPrefix: "/a", role: "publisher" }]);
    const [vera, ed, pub] = await Promise.all(["vera", "ed", "pub"].map((u) => sessionHeaders(server.url, u)));
    const history = (
      (await call("history.list", "query", { path: "/a/app.json" }, asSession(vera!))).body?.result?.data as {
        items: { id: string; version: number }[];
      }
    ).items;
    const first = history.find((h) => h.version === 0)!;

    expect((await call("config.get", "query", { path: "/a/app.json" }, asSession(vera!))).status).toBe(200);
    expect((await call("config.get", "query", { path: "/b/secret.json" }, asSession(vera!))).status).toBe(403);
    const update = { path: "/a/app.json", content: '{"v":3}', expectedVersion: 1 };
    for (const [proc, input] of [
      ["config.update", update],
      ["config.create", { path: "/a/new.json", content: "{}" }],
      ["config.delete", { path: "/a/app.json", expectedVersion: 1 }],
      ["history.rollback", { path: "/a/app.json", toId: first.id, expectedVersion: 1 }],
    ] as const) {
      const r = await call(proc, "mutation", input, asSession(vera!));
      expect(r.status, proc).toBe(403);
      expect(r.body?.error?.data?.conifer?.code).toBe("FORBIDDEN");
    }
    // the tree shows a viewer of /a only the branch leading there
    const root = (
      (await call("tree.children", "query", { path: "/" }, asSession(vera!))).body?.result?.data as {
        children: { name: string }[];
      }
    ).children.map((c) => c.name);
    expect(root).toEqual(["a"]);

    const mutationStatus = async (proc: string, input: unknown, as: Session) =>
      (await call(proc, "mutation", input, asSession(as))).status;
    expect(await mutationStatus("config.update", update, ed!)).toBe(200);
    expect(await mutationStatus("config.update", { ...update, path: "/b/secret.json", expectedVersion: 0 }, ed!)).toBe(
      403,
    );
    const rollback = { path: "/a/app.json", toId: first.id, expectedVersion: 2 };
    expect(await mutationStatus("history.rollback", rollback, ed!)).toBe(403);
    expect(await mutationStatus("history.rollback", rollback, pub!)).toBe(200);
    // non-admins cannot administer
    for (const s of [vera!, ed!, pub!]) {
      expect(
        (await call("tokens.create", "mutation", { name: "x", prefixes: ["/"], access: "read-write" }, asSession(s)))
          .status,
      ).toBe(403);
      expect((await call("users.list", "query", undefined, asSession(s))).status).toBe(403);
      expect((await call("audit.list", "query", {}, asSession(s))).status).toBe(403);
    }
    // the author of a write is the signed-in user, whatever a header says
    const rows = await server.history.list("/a/app.json");
    expect(rows.items.find((h) => h.version === 2)?.author).toBe("ed");
  });

  it("auth.me lists what the console may show", async () => {
    const ed = await sessionHeaders(server.url, "ed");
    const me = (await call("auth.me", "query", undefined, asSession(ed))).body?.result?.data;
    expect(me).toMatchObject({
      name: "ed",
      kind: "user",
      permissions: { read: ["/a"], write: ["/a"], publish: [], admin: [] },
    });
  });
});

describe("API tokens", () => {
  it("a token for /a cannot read /b (tRPC, REST, socket subscribe and fetch) and a read token cannot write", async () => {
    const { token } = await apiToken(server.url, ["/a"], "read");
    const bearer = { authorization: `Bearer ${token}` };
    expect((await call("config.get", "query", { path: "/a/app.json" }, bearer)).status).toBe(200);
    expect((await call("config.get", "query", { path: "/b/secret.json" }, bearer)).status).toBe(403);
    expect(
      (await call("config.update", "mutation", { path: "/a/app.json", content: "{}", expectedVersion: 5 }, bearer))
        .status,
    ).toBe(403);
    expect((await fetch(`${server.url}/api/v1/config?path=/a/app.json`, { headers: bearer })).status).toBe(200);
    const rest = await fetch(`${server.url}/api/v1/config?path=/b/secret.json`, { headers: bearer });
    expect(rest.status).toBe(403);
    expect(await rest.text()).not.toContain("b-only");

    const s = socketWith({ token });
    expect(await connectOutcome(s)).toBe("connected");
    expect((await ask(s, "subscribe", { paths: ["/a/app.json"] })).ok).toBe(true);
    expect(await ask(s, "subscribe", { paths: ["/b/secret.json"] })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    expect(await ask(s, "fetch", { path: "/b/secret.json" })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    expect(((await ask(s, "fetch", { path: "/a/app.json" })).value as { data: string } | undefined)?.data).toContain(
      "v",
    );
  });

  it("revoking a token drops its live socket at once and refuses it everywhere after", async () => {
    const { token, id } = await apiToken(server.url, ["/a"], "read", "doomed");
    const s = socketWith({ token });
    expect(await connectOutcome(s)).toBe("connected");
    const reason = new Promise<string>((resolve) => s.once("disconnect", (r) => resolve(r)));
    const admin = await sessionHeaders(server.url, ADMIN_USER);
    await mutate(server.url, admin, "tokens.revoke", { id });
    expect(await reason).toBe("io server disconnect");
    expect(await connectOutcome(socketWith({ token }))).toMatch(/UNAUTHENTICATED/);
    expect(
      (await fetch(`${server.url}/api/v1/config?path=/a/app.json`, { headers: { authorization: `Bearer ${token}` } }))
        .status,
    ).toBe(401);
    const listed = (await call("tokens.list", "query", undefined, asSession(admin))).body?.result?.data as {
      id: number;
      revokedAt: number | null;
      name: string;
    }[];
    expect(listed.find((t) => t.id === id)?.revokedAt).toBeTypeOf("number");
    // only the digest is stored: the secret appears nowhere in the listing
    expect(JSON.stringify(listed)).not.toContain(token);
  });
});

describe("revocation elsewhere", () => {
  it("a token revoked through the shared database (e.g. by another server process) is cut off by the sweep", async () => {
    const { token, id } = await apiToken(server.url, ["/a"], "read", "swept");
    const s = socketWith({ token });
    expect(await connectOutcome(s)).toBe("connected");
    const reason = new Promise<string>((resolve) => s.once("disconnect", (r) => resolve(r)));
    // straight to the store: this server's revocation event never fires
    await server.history.accounts.revokeToken(id);
    expect(await reason).toBe("io server disconnect");
  }, 120_000);
});

describe("sessions", () => {
  it("a mutation with the session cookie but no (or a wrong, or cross-origin) CSRF token is refused", async () => {
    const s = await sessionHeaders(server.url, "alice");
    const input = { path: "/csrf.json", content: "{}" };
    const noToken = await call("config.create", "mutation", input, asSession(s, false));
    expect(noToken.status).toBe(403);
    expect(noToken.body?.error?.data?.conifer?.details?.reason).toBe("csrf");
    expect((await call("config.create", "mutation", input, { cookie: s.cookie, "x-csrf-token": "wrong" })).status).toBe(
      403,
    );
    expect(
      (await call("config.create", "mutation", input, { ...asSession(s), origin: "http://evil.example" })).status,
    ).toBe(403);
    expect((await call("config.get", "query", { path: "/csrf.json" }, asSession(s))).status).toBe(404);
    expect((await call("config.create", "mutation", input, asSession(s))).status).toBe(200);
  });

  it("cookies are httpOnly + SameSite=Strict; logout ends the session", async () => {
    const res = await fetch(`${server.url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: ADMIN_USER, password: ADMIN_PASSWORD }),
    });
    const cookies = res.headers.getSetCookie();
    expect(cookies.find((c) => c.startsWith("conifer_session="))).toMatch(
      /HttpOnly.*SameSite=Strict|SameSite=Strict.*HttpOnly/,
    );
    expect(cookies.find((c) => c.startsWith("conifer_csrf="))).not.toMatch(/HttpOnly/);
    const s = await login(server.url, ADMIN_USER, ADMIN_PASSWORD);
    await mutate(server.url, s, "auth.logout", null);
    expect((await call("auth.me", "query", undefined, asSession(s))).status).toBe(401);
  });

  it("brute force: after 5 failures the account is locked, even for the right password; audit shows it", async () => {
    const password = await ensureUser(server.url, "target", [{ pathPrefix: "/a", role: "viewer" }]);
    for (let i = 0; i < 5; i++) {
      const r = await call("auth.login", "mutation", { username: "target", password: `guess-${i}` });
      expect(r.status).toBe(401);
    }
    const locked = await call("auth.login", "mutation", { username: "target", password });
    expect(locked.status).toBe(429);
    expect(locked.body?.error?.data?.conifer?.code).toBe("RATE_LIMITED");
    // other accounts are unaffected
    await login(server.url, ADMIN_USER, ADMIN_PASSWORD);
    const audit = await server.history.listAudit({ actor: "target", limit: 50 });
    const actions = audit.items.map((a) => a.action);
    expect(actions.filter((a) => a === "login.failed")).toHaveLength(5);
    expect(actions).toContain("login.locked");
    expect(audit.items.every((a) => a.ip)).toBe(true);
  });

  it("change password ends the user's other sessions", async () => {
    const password = await ensureUser(server.url, "chloe", [{ pathPrefix: "/a", role: "viewer" }]);
    const one = await login(server.url, "chloe", password);
    const two = await login(server.url, "chloe", password);
    await mutate(server.url, one, "auth.changePassword", { current: password, next: "a-brand-new-password" });
    expect((await call("auth.me", "query", undefined, asSession(one))).status).toBe(200);
    expect((await call("auth.me", "query", undefined, asSession(two))).status).toBe(401);
    await expect(login(server.url, "chloe", password)).rejects.toThrow(/401/);
    await login(server.url, "chloe", "a-brand-new-password");
  });
});

describe("audit and hardening", () => {
  it("logins, writes, role and token changes are audited with who and from where; no procedure edits the audit log", async () => {
    const audit = await server.history.listAudit({ limit: 500 });
    const actions = new Set(audit.items.map((a) => a.action));
    for (const a of [
      "login",
      "login.failed",
      "user.create",
      "token.create",
      "token.revoke",
      "password.change",
      "logout",
    ])
      expect(actions, a).toContain(a);
    expect(audit.items.some((a) => a.actor === "ed" && a.path === "/a/app.json")).toBe(true);
    // the audit router only reads: every procedure in it is a query
    expect(
      procedures()
        .filter((p) => p.path.startsWith("audit."))
        .map((p) => `${p.path}:${p.type}`),
    ).toEqual(["audit.list:query", "audit.facets:query"]);
  });

  it("security headers on the API and the console host", async () => {
    for (const path of ["/", "/trpc/auth.me", "/api/v1/config"]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    }
  });

  it("an oversize body is refused with 413 before the procedure runs", async () => {
    const s = await sessionHeaders(server.url, "alice");
    const res = await fetch(`${server.url}/trpc/config.create`, {
      method: "POST",
      headers: { "content-type": "application/json", ...asSession(s) },
      body: JSON.stringify({ path: "/huge.json", content: "x".repeat(9 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    await waitFor(
      async () => (await call("config.get", "query", { path: "/huge.json" }, asSession(s))).status === 404,
      "no node",
    );
  });
});
