/**
 * The history store contract, run unchanged against SQLite (sqlite.test.ts) and a real
 * PostgreSQL server (postgresql.test.ts). Every test opens a fresh, empty database.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openHistoryStore, type HistoryStore } from "../src/index.ts";
import { intentAndAuditTests } from "./intents-audit-suite.ts";
import { lastAdminTests } from "./last-admin-suite.ts";
import { releaseTests } from "./releases-suite.ts";
import { tokenTests } from "./tokens-suite.ts";
import { entry, expectHistoryError, sha256, ALL_MIGRATIONS } from "./suite-helpers.ts";

export interface DatabaseFactory {
  setup(): Promise<void>;
  /** A URL naming a fresh, empty database. */
  freshUrl(): Promise<string>;
  teardown(): Promise<void>;
}

export function defineStoreSuite(name: string, factory: DatabaseFactory): void {
  describe(`history store on ${name}`, () => {
    const open: HistoryStore[] = [];
    const openStore = async (url?: string) => {
      const store = await openHistoryStore({ url: url ?? (await factory.freshUrl()) });
      open.push(store);
      return store;
    };

    beforeAll(() => factory.setup());
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });
    afterAll(() => factory.teardown());

    it("migrates a fresh database on open and is a no-op on reopen", async () => {
      const url = await factory.freshUrl();
      const first = await openStore(url);
      expect(first.migrationsApplied).toEqual(ALL_MIGRATIONS);
      await first.record(entry("/m", 5));
      await first.close();
      const second = await openStore(url);
      expect(second.migrationsApplied).toEqual([]);
      expect((await second.latest("/m"))?.content).toBe("v5");
      await second.ping();
    });

    it("lets several stores open the same fresh database at once, applying each migration once", async () => {
      const url = await factory.freshUrl();
      const stores = await Promise.all([openStore(url), openStore(url), openStore(url)]);
      expect(stores.flatMap((s) => s.migrationsApplied)).toEqual(ALL_MIGRATIONS);
    });

    it("rolls back a failing migration as a whole and reports MIGRATION_FAILED", async () => {
      const url = await factory.freshUrl();
      const dir = mkdtempSync(join(tmpdir(), "conifer-migrations-"));
      try {
        const provider = url.startsWith("file:") ? "sqlite" : "postgresql";
        writeFileSync(join(dir, "migration_lock.toml"), `provider = "${provider}"\n`);
        mkdirSync(join(dir, "0001_bad"));
        writeFileSync(
          join(dir, "0001_bad", "migration.sql"),
          `CREATE TABLE "half" ("id" INTEGER);\nCREATE TABLE "broken" (;\n`,
        );
        await expectHistoryError(openHistoryStore({ url, migrationsDir: dir }), "MIGRATION_FAILED");
        // Nothing was half-applied: the real migrations still run cleanly afterwards.
        const store = await openStore(url);
        expect(store.migrationsApplied).toEqual(ALL_MIGRATIONS);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("records entries and lists them newest first with stable cursor pagination", async () => {
      const store = await openStore();
      for (const z of [10, 20, 30, 40, 50, 60, 70]) await store.record(entry("/app/cfg.json", z));
      await store.record(entry("/other", 65));
      // Recorded late (e.g. reconciled after a crash) but older: it sorts by its mzxid.
      await store.record(entry("/app/cfg.json", 35));

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await store.list("/app/cfg.json", { limit: 3, cursor });
        seen.push(...page.items.map((e) => e.mzxid));
        for (const item of page.items) expect(item).not.toHaveProperty("content");
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(seen).toEqual(["70", "60", "50", "40", "35", "30", "20", "10"]);
      expect(pages).toBe(3);
      const exact = await store.list("/app/cfg.json", { limit: 8 });
      expect(exact.items).toHaveLength(8);
      expect(exact.nextCursor).toBeNull();
      expect((await store.list("/nothing")).items).toEqual([]);
    });

    it("record is idempotent on (path, mzxid, op), also under concurrency", async () => {
      const store = await openStore();
      const a = await store.record(entry("/x", 7, { author: "alice" }));
      const b = await store.record(entry("/x", 7, { author: "bob", content: "other" }));
      expect(b).toEqual(a);
      const racing = await Promise.all(Array.from({ length: 6 }, () => store.record(entry("/y", 9))));
      expect(new Set(racing.map((e) => e.id)).size).toBe(1);
      // The same zxid with another op is another row (a delete may carry the last version's mzxid).
      const del = await store.record(entry("/x", 7, { op: "delete", content: "" }));
      expect(del.id).not.toBe(a.id);
      expect((await store.list("/x")).items.map((e) => e.op)).toEqual(["delete", "update"]);
    });

    it("gets entries by id, latest and mzxid, with their content and metadata", async () => {
      const store = await openStore();
      const created = await store.record(
        entry("/p", 3, {
          op: "create",
          version: 0,
          content: '{"a":1}',
          message: "first",
          source: "console",
          at: 1_700_000_000_123,
        }),
      );
      expect(created).toMatchObject({
        path: "/p",
        version: 0,
        mzxid: "3",
        czxid: "1",
        op: "create",
        author: "alice",
        message: "first",
        source: "console",
        at: 1_700_000_000_123,
        size: 7,
        encoding: "utf8",
      });
      expect(created.contentHash).toBe(sha256('{"a":1}'));
      await store.record(entry("/p", 4, { version: 1, content: '{"a":2}' }));
      await store.record(entry("/p", 4, { op: "delete", version: 1, content: "" }));

      expect((await store.get(created.id))?.content).toBe('{"a":1}');
      expect(await store.get("999999")).toBeNull();
      expect((await store.latest("/p"))?.op).toBe("delete");
      expect((await store.byMzxid("/p", "4"))?.content).toBe('{"a":2}');
      expect((await store.byMzxid("/p", 3n))?.op).toBe("create");
      expect(await store.byMzxid("/p", "5")).toBeNull();
      expect(await store.latest("/none")).toBeNull();
    });

    it("keeps 64-bit zxids exact", async () => {
      const store = await openStore();
      const big = (1n << 62n) + 12345n;
      const e = await store.record(entry("/z", 0, { mzxid: big, czxid: big.toString() }));
      expect(e.mzxid).toBe(big.toString());
      expect((await store.byMzxid("/z", big))?.czxid).toBe(big.toString());
    });

    // list and byMzxid run raw SQL (hot-reads.ts), get runs a Prisma model query: same rows, same DTOs.
    it("lists and reads by mzxid exactly what get returns for the same rows", async () => {
      const store = await openStore();
      const big = (1n << 62n) + 7n;
      await store.record(
        entry("/same", 3, {
          op: "create",
          version: 0,
          content: "α\n",
          message: "first",
          source: "console",
          at: 1_700_000_000_123,
        }),
      );
      await store.record(
        entry("/same", 9, { content: Buffer.from([0, 1, 255]).toString("base64"), encoding: "base64", czxid: "3" }),
      );
      await store.record(entry("/same", 9, { op: "delete", content: "" }));
      await store.record(entry("/same", 0, { mzxid: big, czxid: big }));
      const page = await store.list("/same");
      expect(page.items.map((e) => [e.mzxid, e.op])).toEqual([
        [big.toString(), "update"],
        ["9", "delete"],
        ["9", "update"],
        ["3", "create"],
      ]);
      for (const item of page.items) {
        const full = await store.get(item.id);
        expect(full).not.toBeNull();
        const { content, ...summary } = full!;
        expect(item).toEqual(summary);
        expect(typeof content).toBe("string");
        if (item.op !== "delete") expect(await store.byMzxid("/same", item.mzxid)).toEqual(full);
      }
      expect(page.items[3]?.at).toBe(1_700_000_000_123);
      // Rows sharing an mzxid page by id, with nothing skipped or repeated across pages of one.
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const one: Awaited<ReturnType<HistoryStore["list"]>> = await store.list("/same", { limit: 1, cursor });
        ids.push(...one.items.map((e) => e.id));
        cursor = one.nextCursor;
      } while (cursor);
      expect(ids).toEqual(page.items.map((e) => e.id));
      // A path that merely shares a prefix, and an unknown zxid, match nothing.
      await store.record(entry("/same/child", 9));
      expect((await store.list("/same")).items).toHaveLength(4);
      expect(await store.byMzxid("/sam", "9")).toBeNull();
    });

    it("stores unicode and 1 MB contents byte for byte", async () => {
      const store = await openStore();
      const unicode = "名前: 設定 ✓ — emoji 🌲🚀 and a NUL-free \\u0000 escape\nzażółć gęślą jaźń\n";
      const u = await store.record(entry("/unicode.yaml", 1, { content: unicode }));
      expect(u.size).toBe(Buffer.byteLength(unicode, "utf8"));
      expect(u.contentHash).toBe(sha256(unicode));
      expect((await store.get(u.id))?.content).toBe(unicode);

      const line = "key.with.some.length = 🌲 value ü\n";
      const big = line.repeat(Math.ceil((1024 * 1024) / Buffer.byteLength(line)));
      const b = await store.record(entry("/big.properties", 2, { content: big }));
      expect(b.size).toBe(Buffer.byteLength(big, "utf8"));
      expect(b.size).toBeGreaterThanOrEqual(1024 * 1024);
      const back = await store.latest("/big.properties");
      expect(back?.content.length).toBe(big.length);
      expect(back?.content === big).toBe(true);
    });

    it("stores binary znode data as base64 with the size and hash of the bytes", async () => {
      const store = await openStore();
      const bytes = Buffer.from([0, 255, 1, 254, 10]);
      const e = await store.record(entry("/bin", 1, { content: bytes.toString("base64"), encoding: "base64" }));
      expect(e).toMatchObject({
        size: 5,
        encoding: "base64",
        contentHash: createHash("sha256").update(bytes).digest("hex"),
      });
      await expectHistoryError(
        store.record(entry("/bin", 2, { content: "not base64!", encoding: "base64" })),
        "INVALID_ARGUMENT",
      );
    });

    it("lists the newest entry of every path, optionally under a prefix", async () => {
      const store = await openStore();
      await store.record(entry("/a/x", 1));
      await store.record(entry("/a/x", 5));
      await store.record(entry("/a/y", 3, { op: "create" }));
      await store.record(entry("/a/y", 3, { op: "delete" }));
      await store.record(entry("/ab", 2));
      await store.record(entry("/A/x", 4));
      const all = await store.latestPerPath();
      expect(all.map((e) => [e.path, e.mzxid, e.op])).toEqual([
        ["/A/x", "4", "update"],
        ["/a/x", "5", "update"],
        ["/a/y", "3", "delete"],
        ["/ab", "2", "update"],
      ]);
      expect((await store.latestPerPath({ under: "/a" })).map((e) => e.path)).toEqual(["/a/x", "/a/y"]);
    });

    intentAndAuditTests(openStore);
    tokenTests(openStore);
    lastAdminTests(openStore, () => factory.freshUrl(), name !== "SQLite");
    releaseTests(openStore, () => factory.freshUrl(), name !== "SQLite");

    it("rejects invalid input and foreign cursors with typed errors, and refuses calls once closed", async () => {
      const store = await openStore();
      await expectHistoryError(store.record(entry("relative", 1)), "INVALID_ARGUMENT");
      await expectHistoryError(store.record(entry("/p", 1, { mzxid: "-1" })), "INVALID_ARGUMENT");
      await expectHistoryError(store.record(entry("/p", 1, { op: "rename" as "update" })), "INVALID_ARGUMENT");
      await expectHistoryError(store.record(entry("/p", 1, { source: "email" as "api" })), "INVALID_ARGUMENT");
      await expectHistoryError(store.record(entry("/p", 1, { author: "" })), "INVALID_ARGUMENT");
      await expectHistoryError(store.list("/p", { cursor: "garbage" }), "INVALID_CURSOR");
      await expectHistoryError(store.list("/p", { limit: 0 }), "INVALID_ARGUMENT");
      await expectHistoryError(store.listAudit({ cursor: "h1.1" }), "INVALID_CURSOR");
      await expectHistoryError(store.get("abc"), "INVALID_ARGUMENT");
      await expectHistoryError(
        store.audit({ actor: "a", action: "b", source: "browser" as "api" }),
        "INVALID_ARGUMENT",
      );
      await store.close();
      await expectHistoryError(store.list("/p"), "CLOSED");
      await store.close();
    });
  });
}
