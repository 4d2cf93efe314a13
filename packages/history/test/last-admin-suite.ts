/**
 * `accounts.changeKeepingAdmin`: part of the store contract run by store-suite.ts on every
 * database. Two stores on one database stand for two server processes; their changes race.
 */
import { expect, it } from "vitest";
import type { HistoryStore } from "../src/index.ts";
import type { OpenStore } from "./suite-helpers.ts";

async function enabledRootAdmins(store: HistoryStore): Promise<string[]> {
  const [users, bindings] = await Promise.all([store.accounts.listUsers(), store.accounts.listBindings()]);
  const admins = new Set(bindings.filter((b) => b.pathPrefix === "/" && b.role === "admin").map((b) => b.userId));
  return users.filter((u) => admins.has(u.id) && !u.disabled).map((u) => u.username);
}

async function admin(store: HistoryStore, username: string): Promise<number> {
  const u = await store.accounts.createUser({ username, passwordHash: "x", mustChangePassword: false });
  await store.accounts.setBinding(u.id, "/", "admin");
  return u.id;
}

export function lastAdminTests(openStore: OpenStore, freshUrl: () => Promise<string>, postgres: boolean): void {
  it("refuses (and rolls back) any change that leaves no enabled admin on /", async () => {
    const store = await openStore();
    const a = await admin(store, "ana");
    const b = await admin(store, "ben");
    await store.accounts.setBinding(b, "/team", "editor");
    expect(await store.accounts.changeKeepingAdmin({ kind: "setDisabled", userId: b, disabled: true })).toBe("done");
    for (const change of [
      { kind: "removeBinding", userId: a, pathPrefix: "/" },
      { kind: "setBinding", userId: a, pathPrefix: "/", role: "publisher" },
      { kind: "setDisabled", userId: a, disabled: true },
      { kind: "deleteUser", userId: a },
    ] as const)
      expect(await store.accounts.changeKeepingAdmin(change)).toBe("last-admin");
    expect(await enabledRootAdmins(store)).toEqual(["ana"]);
    expect((await store.accounts.userById(a))?.disabled).toBe(false);
    // a change that keeps ana is applied, a deletion takes bindings and sessions with it
    await store.accounts.createSession({ tokenHash: "s-ben", userId: b, expiresAt: Date.now() + 60_000 });
    expect(await store.accounts.changeKeepingAdmin({ kind: "deleteUser", userId: b })).toBe("done");
    expect(await store.accounts.userById(b)).toBeNull();
    expect(await store.accounts.bindingsOf(b)).toEqual([]);
    expect(await store.accounts.sessionByHash("s-ben")).toBeNull();
  });

  // better-sqlite3 is synchronous: two SQLite stores in one process would block each other's
  // event loop while waiting for the lock, so on SQLite the race runs between two server
  // processes instead (apps/server/test/last-admin.test.ts).
  it.skipIf(!postgres)("two processes demoting each other at the same moment leave one admin, every time", async () => {
    const url = await freshUrl();
    const [one, two] = await Promise.all([openStore(url), openStore(url)]);
    const a = await admin(one, "ana");
    const b = await admin(one, "ben");
    for (let round = 0; round < 15; round++) {
      const results = await Promise.all([
        one.accounts.changeKeepingAdmin({ kind: "removeBinding", userId: b, pathPrefix: "/" }),
        two.accounts.changeKeepingAdmin(
          round % 2
            ? { kind: "setDisabled", userId: a, disabled: true }
            : { kind: "removeBinding", userId: a, pathPrefix: "/" },
        ),
      ]);
      expect(results.sort()).toEqual(["done", "last-admin"]);
      expect(await enabledRootAdmins(one)).toHaveLength(1);
      // back to two admins for the next round
      await one.accounts.setDisabled(a, false);
      await one.accounts.setBinding(a, "/", "admin");
      await one.accounts.setBinding(b, "/", "admin");
    }
  });
}
