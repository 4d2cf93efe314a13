/**
 * The installation always keeps an enabled admin on "/", whichever door a request comes through:
 * the typed tRPC client (as the console), a raw HTTP call (as curl or a script would), a second
 * server process on the same database, and two admins demoting each other at the same moment.
 * And the recovery for a lost admin password: `npm run admin -- reset-password <user>` on the host.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { ADMIN_PASSWORD, ADMIN_USER, login, mutate } from "./auth.ts";
import { startChildServer, stopChild, type ChildServer } from "./child-server.ts";
import { client, failure } from "./helpers.ts";
import { useServer } from "./server-fixture.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

let a: RunningServer;
let b: ChildServer;
let dir: string;

/** Runs `npm run admin -- …` in the repo, on server A's data dir, like an operator on the host. */
function adminCommand(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", "admin", "--", ...args], {
      cwd: repoRoot,
      env: { ...process.env, CONIFER_DATA_DIR: join(dir, "a") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("error", reject);
    child.once("exit", (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

const viaA = () => client(a, ADMIN_USER);

async function userId(name: string): Promise<number> {
  const users = await viaA().users.list.query();
  const u = users.find((x) => x.username === name);
  if (!u) throw new Error(`no user ${name}`);
  return u.id;
}

/** Read from the shared database itself: an admin who was just demoted may not list users. */
async function enabledRootAdmins(): Promise<string[]> {
  const [users, bindings] = await Promise.all([a.history.accounts.listUsers(), a.history.accounts.listBindings()]);
  const admins = new Set(bindings.filter((x) => x.pathPrefix === "/" && x.role === "admin").map((x) => x.userId));
  return users
    .filter((u) => !u.disabled && admins.has(u.id))
    .map((u) => u.username)
    .sort();
}

describe("at least one enabled admin on / remains, through every door", () => {
  useServer({
    prefix: "conifer-last-admin-",
    subdir: "a",
    ready: async (server, tmp) => {
      a = server;
      dir = tmp;
      // server B: its own Node process through main.ts, its own data dir, server A's SQLite database
      b = await startChildServer("B", {
        CONIFER_DATA_DIR: join(dir, "b"),
        DATABASE_URL: `file:${join(dir, "a", "history.db")}`,
        CONIFER_ADMIN_PASSWORD: ADMIN_PASSWORD,
      });
    },
    closing: () => stopChild(b.child),
  });

  it("tRPC: the only admin cannot remove or lower their admin role, disable or delete the last admin", async () => {
    const api = viaA();
    const me = await userId(ADMIN_USER);
    for (const attempt of [
      api.users.setRole.mutate({ userId: me, pathPrefix: "/", role: null }),
      api.users.setRole.mutate({ userId: me, pathPrefix: "/", role: "publisher" }),
    ]) {
      const f = await failure(attempt);
      expect(f).toMatchObject({ code: "FORBIDDEN", details: { reason: "last-admin" }, httpStatus: 403 });
      expect(f.message).toMatch(/no enabled admin/);
    }
    // a second admin who is disabled does not count
    const bea = (
      await api.users.create.mutate({
        username: "bea",
        password: "bea-password-1",
        roles: [{ pathPrefix: "/", role: "admin" }],
      })
    ).id;
    await api.users.setDisabled.mutate({ userId: bea, disabled: true });
    expect((await failure(api.users.setRole.mutate({ userId: me, pathPrefix: "/", role: null }))).details).toEqual({
      reason: "last-admin",
    });
    expect(await enabledRootAdmins()).toEqual([ADMIN_USER]);
    // an enabled second admin: now the first may step down, and the second may not follow
    await api.users.setDisabled.mutate({ userId: bea, disabled: false });
    await api.users.setRole.mutate({ userId: me, pathPrefix: "/", role: "editor" });
    const beaSession = await login(a.url, "bea", "bea-password-1");
    const refused = await mutate(a.url, beaSession, "users.setRole", { userId: bea, pathPrefix: "/", role: null }).then(
      () => null,
      (e: unknown) => e as { code?: string; message: string },
    );
    expect(refused?.code).toBe("FORBIDDEN");
    await mutate(a.url, beaSession, "users.setRole", { userId: me, pathPrefix: "/", role: "admin" });
    expect(await enabledRootAdmins()).toEqual([ADMIN_USER, "bea"]);
    // deleting: yourself never, the last admin never
    expect((await failure(api.users.delete.mutate({ userId: me }))).code).toBe("INVALID_INPUT");
    await api.users.delete.mutate({ userId: bea });
    expect(await enabledRootAdmins()).toEqual([ADMIN_USER]);
  });

  it("raw HTTP (a script with curl): the same refusal, 403 and nothing changed", async () => {
    const s = await login(a.url, ADMIN_USER, ADMIN_PASSWORD);
    const me = await userId(ADMIN_USER);
    const res = await fetch(`${a.url}/trpc/users.setRole`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: s.cookie, "x-csrf-token": s.csrf },
      body: JSON.stringify({ userId: me, pathPrefix: "/", role: null }),
    });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { data: { conifer: { code: string; details: unknown } } } };
    expect(body.error.data.conifer).toMatchObject({ code: "FORBIDDEN", details: { reason: "last-admin" } });
    expect(await enabledRootAdmins()).toEqual([ADMIN_USER]);
  });

  it("a second server process on the same database refuses too; two admins demoting each other at once leave one", async () => {
    const me = await userId(ADMIN_USER);
    const viaB = client(b, ADMIN_USER);
    expect((await failure(viaB.users.setRole.mutate({ userId: me, pathPrefix: "/", role: null }))).details).toEqual({
      reason: "last-admin",
    });
    const cleo = (
      await viaA().users.create.mutate({
        username: "cleo",
        password: "cleo-password-1",
        roles: [{ pathPrefix: "/", role: "admin" }],
      })
    ).id;
    const adminOnA = await login(a.url, ADMIN_USER, ADMIN_PASSWORD);
    const cleoOnB = await login(b.url, "cleo", "cleo-password-1");
    for (let round = 0; round < 6; round++) {
      // each demotes the other at the same moment, through different server processes
      const results = await Promise.allSettled([
        mutate(a.url, adminOnA, "users.setRole", { userId: cleo, pathPrefix: "/", role: null }),
        round % 2
          ? mutate(b.url, cleoOnB, "users.setDisabled", { userId: me, disabled: true })
          : mutate(b.url, cleoOnB, "users.setRole", { userId: me, pathPrefix: "/", role: "viewer" }),
      ]);
      const admins = await enabledRootAdmins();
      expect(admins).toHaveLength(1);
      expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
      const rejected = results.find((r) => r.status === "rejected");
      const code = (rejected?.reason as { code?: string }).code;
      // the loser is refused by the last-admin rule; but when cleo's disable landed before the
      // admin's request was authenticated, the admin's sessions had already ended
      const adminDisabledFirst = round % 2 === 1 && results[0].status === "rejected";
      expect(adminDisabledFirst ? ["FORBIDDEN", "UNAUTHENTICATED"] : ["FORBIDDEN"]).toContain(code);
      // back to two admins, by whoever is still one (a disabled admin's sessions ended)
      const [survivor] = admins;
      const fixer = survivor === ADMIN_USER ? adminOnA : cleoOnB;
      const fixerUrl = survivor === ADMIN_USER ? a.url : b.url;
      if (survivor !== ADMIN_USER) await mutate(fixerUrl, fixer, "users.setDisabled", { userId: me, disabled: false });
      await mutate(fixerUrl, fixer, "users.setRole", { userId: me, pathPrefix: "/", role: "admin" });
      await mutate(fixerUrl, fixer, "users.setRole", { userId: cleo, pathPrefix: "/", role: "admin" });
      if (survivor !== ADMIN_USER) Object.assign(adminOnA, await login(a.url, ADMIN_USER, ADMIN_PASSWORD));
    }
    expect(await enabledRootAdmins()).toEqual([ADMIN_USER, "cleo"]);
  }, 120_000);

  it("npm run admin -- reset-password <user>: prints a one-time password, ends the sessions, is audited", async () => {
    const before = await login(a.url, "cleo", "cleo-password-1");
    const run = await adminCommand(["reset-password", "cleo"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const password = /One-time password for "cleo": (\S+)/.exec(run.stdout)?.[1];
    expect(password).toBeDefined();
    // the old password and the old session are gone; the new one signs in and must be changed
    await expect(login(a.url, "cleo", "cleo-password-1")).rejects.toThrow(/401/);
    const me = await fetch(`${a.url}/trpc/auth.me`, { headers: { cookie: before.cookie } });
    expect(me.status).toBe(401);
    const after = await login(a.url, "cleo", password ?? "");
    const meNow = await fetch(`${a.url}/trpc/auth.me`, { headers: { cookie: after.cookie } });
    expect(((await meNow.json()) as { result: { data: { mustChangePassword: boolean } } }).result.data).toMatchObject({
      mustChangePassword: true,
    });
    const audit = await viaA().audit.list.query({});
    expect(audit.items.find((e) => e.action === "password.recover")).toMatchObject({
      actor: "system",
      source: "system",
      detail: expect.stringContaining('"username":"cleo"') as unknown,
    });
    // unknown users and bad usage fail loudly, with nothing printed on stdout
    const [unknown, usage] = await Promise.all([
      adminCommand(["reset-password", "nobody"]),
      adminCommand(["frobnicate"]),
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No user "nobody"/);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/usage: npm run admin -- reset-password <user>/);
  }, 300_000);
});
