/**
 * The store contract on a real PostgreSQL server started for this file (initdb into a temp dir,
 * a free loopback port), one fresh database per test.
 */
import { ALL_MIGRATIONS } from "./suite-helpers.ts";
import { describe, expect, it } from "vitest";
import { openHistoryStore } from "../src/index.ts";
import { startPostgres, type PostgresFixture } from "../src/testing/index.ts";
import { defineStoreSuite } from "./store-suite.ts";

let pg: PostgresFixture | null = null;
defineStoreSuite("PostgreSQL", {
  async setup() {
    pg = await startPostgres();
  },
  async freshUrl() {
    if (!pg) throw new Error("PostgreSQL fixture not started");
    return pg.createDatabase();
  },
  async teardown() {
    await pg?.stop();
  },
});

describe("history store on PostgreSQL: an unreachable server", () => {
  it("reports UNAVAILABLE when opening, and on calls once the server is gone", async () => {
    const own = await startPostgres();
    let stopped = false;
    try {
      const url = await own.createDatabase();
      const store = await openHistoryStore({ url });
      await store.record({
        path: "/u",
        version: 0,
        mzxid: "1",
        czxid: "1",
        op: "create",
        content: "x",
        author: "a",
        source: "api",
      });
      await own.stop();
      stopped = true;
      await expect(store.list("/u")).rejects.toMatchObject({ name: "HistoryError", code: "UNAVAILABLE" });
      await expect(store.byMzxid("/u", "1")).rejects.toMatchObject({ name: "HistoryError", code: "UNAVAILABLE" });
      await expect(store.latest("/u")).rejects.toMatchObject({ name: "HistoryError", code: "UNAVAILABLE" });
      await store.close();
      await expect(openHistoryStore({ url })).rejects.toMatchObject({ name: "HistoryError", code: "UNAVAILABLE" });
    } finally {
      if (!stopped) await own.stop();
    }
  });
});

describe("history store on PostgreSQL: ?schema=", () => {
  it("keeps stores with different schemas of one database apart", async () => {
    const own = await startPostgres();
    try {
      const url = await own.createDatabase();
      const a = await openHistoryStore({ url: `${url}?schema=tenant_a` });
      const b = await openHistoryStore({ url: `${url}?schema=tenant_b` });
      try {
        expect(a.migrationsApplied).toEqual(ALL_MIGRATIONS);
        expect(b.migrationsApplied).toEqual(ALL_MIGRATIONS);
        await a.record({
          path: "/s",
          version: 0,
          mzxid: "1",
          czxid: "1",
          op: "create",
          content: "in a",
          author: "x",
          source: "api",
        });
        expect((await a.latest("/s"))?.content).toBe("in a");
        expect(await b.latest("/s")).toBeNull();
        // The raw-SQL reads qualify the table with the schema themselves (hot-reads.ts).
        expect((await a.list("/s")).items.map((e) => e.mzxid)).toEqual(["1"]);
        expect((await a.byMzxid("/s", "1"))?.content).toBe("in a");
        expect((await b.list("/s")).items).toEqual([]);
        expect(await b.byMzxid("/s", "1")).toBeNull();
      } finally {
        await a.close();
        await b.close();
      }
      const again = await openHistoryStore({ url: `${url}?schema=tenant_a` });
      expect(again.migrationsApplied).toEqual([]);
      await again.close();
      // Nothing landed in public.
      const plain = await openHistoryStore({ url });
      expect(plain.migrationsApplied).toEqual(ALL_MIGRATIONS);
      expect(await plain.latest("/s")).toBeNull();
      await plain.close();
    } finally {
      await own.stop();
    }
  });
});
