/**
 * The history store contract, run unchanged against SQLite (sqlite.test.ts) and a real
 * PostgreSQL server (postgresql.test.ts). Every test opens a fresh, empty database.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HistoryError, openHistoryStore, type HistoryStore, type RecordInput } from "../src/index.ts";

export interface DatabaseFactory {
  setup(): Promise<void>;
  /** A URL naming a fresh, empty database. */
  freshUrl(): Promise<string>;
  teardown(): Promise<void>;
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

function entry(path: string, mzxid: number, overrides: Partial<RecordInput> = {}): RecordInput {
  return { path, version: mzxid, mzxid: String(mzxid), czxid: "1", op: "update", content: `v${mzxid}`, author: "alice", source: "api", ...overrides };
}

async function expectHistoryError(promise: Promise<unknown>, code: HistoryError["code"]): Promise<void> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HistoryError);
  expect((err as HistoryError).code).toBe(code);
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
      expect(first.migrationsApplied).toEqual(["0001_init"]);
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
      expect(stores.flatMap((s) => s.migrationsApplied)).toEqual(["0001_init"]);
    });

    it("rolls back a failing migration as a whole and reports MIGRATION_FAILED", async () => {
      const url = await factory.freshUrl();
      const dir = mkdtempSync(join(tmpdir(), "conifer-migrations-"));
      try {
        const provider = url.startsWith("file:") ? "sqlite" : "postgresql";
        writeFileSync(join(dir, "migration_lock.toml"), `provider = "${provider}"\n`);
        mkdirSync(join(dir, "0001_bad"));
        writeFileSync(join(dir, "0001_bad", "migration.sql"), `CREATE TABLE "half" ("id" INTEGER);\nCREATE TABLE "broken" (;\n`);
        await expectHistoryError(openHistoryStore({ url, migrationsDir: dir }), "MIGRATION_FAILED");
        // Nothing was half-applied: the real migrations still run cleanly afterwards.
        const store = await openStore(url);
        expect(store.migrationsApplied).toEqual(["0001_init"]);
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
      const created = await store.record(entry("/p", 3, { op: "create", version: 0, content: '{"a":1}', message: "first", source: "console", at: 1_700_000_000_123 }));
      expect(created).toMatchObject({ path: "/p", version: 0, mzxid: "3", czxid: "1", op: "create", author: "alice", message: "first", source: "console", at: 1_700_000_000_123, size: 7, encoding: "utf8" });
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
      expect(e).toMatchObject({ size: 5, encoding: "base64", contentHash: createHash("sha256").update(bytes).digest("hex") });
      await expectHistoryError(store.record(entry("/bin", 2, { content: "not base64!", encoding: "base64" })), "INVALID_ARGUMENT");
    });

    it("runs write intents through their lifecycle", async () => {
      const store = await openStore();
      const a = await store.beginIntent({ path: "/svc/a.json", op: "update", expectedVersion: 3, content: "new", author: "carol", message: "bump", source: "console" });
      expect(a).toMatchObject({ path: "/svc/a.json", op: "update", expectedVersion: 3, contentHash: sha256("new"), author: "carol", message: "bump", source: "console", completedAt: null, outcome: null, mzxid: null });
      const b = await store.beginIntent({ path: "/svc/b.json", op: "create", contentHash: sha256("b"), author: "dave", source: "api" });
      expect((await store.pendingIntents()).map((i) => i.id)).toEqual([a.id, b.id]);
      expect((await store.pendingIntents({ path: "/svc/b.json" })).map((i) => i.id)).toEqual([b.id]);
      expect(await store.pendingIntents({ createdBefore: a.createdAt - 60_000 })).toEqual([]);

      expect(await store.completeIntent(a.id, { mzxid: "42" })).toBe(true);
      expect(await store.completeIntent(a.id)).toBe(false);
      expect(await store.completeIntent(b.id, { outcome: "failed" })).toBe(true);
      expect(await store.pendingIntents()).toEqual([]);
      expect(await store.getIntent(a.id)).toMatchObject({ outcome: "applied", mzxid: "42" });
      expect((await store.getIntent(a.id))?.completedAt).toEqual(expect.any(Number));
      expect(await store.getIntent(b.id)).toMatchObject({ outcome: "failed", mzxid: null });
      await expectHistoryError(store.completeIntent("987654"), "NOT_FOUND");
      await expectHistoryError(store.beginIntent({ path: "/svc/c", op: "create", author: "x", source: "api" }), "INVALID_ARGUMENT");
    });

    it("attributes observed backend changes to a matching pending intent, else to external", async () => {
      const store = await openStore();
      const intent = await store.beginIntent({ path: "/r/a", op: "update", content: "mine", author: "erin", message: "tune", source: "console" });
      const other = await store.beginIntent({ path: "/r/a", op: "update", content: "something else", author: "frank", source: "api" });

      const observed = await store.recordObserved({ path: "/r/a", version: 2, mzxid: "100", czxid: "90", op: "update", content: "mine", at: 1_700_000_000_000 });
      expect(observed.created).toBe(true);
      expect(observed.intentId).toBe(intent.id);
      expect(observed.entry).toMatchObject({ author: "erin", message: "tune", source: "console", mzxid: "100", at: 1_700_000_000_000 });
      expect((await store.getIntent(intent.id))?.outcome).toBe("applied");
      expect((await store.getIntent(intent.id))?.mzxid).toBe("100");
      expect((await store.pendingIntents()).map((i) => i.id)).toEqual([other.id]);

      // Seen again (the writer or another server): no new row, nothing re-attributed.
      const again = await store.recordObserved({ path: "/r/a", version: 2, mzxid: "100", czxid: "90", op: "update", content: "mine" });
      expect(again).toEqual({ entry: observed.entry, created: false, intentId: null });
      // The writer's own record of the same change returns the attributed row.
      expect(await store.record({ path: "/r/a", version: 2, mzxid: "100", czxid: "90", op: "update", content: "mine", author: "erin", source: "console" })).toEqual(observed.entry);

      const external = await store.recordObserved({ path: "/r/a", version: 3, mzxid: "101", czxid: "90", op: "update", content: "from zkCli" });
      expect(external).toMatchObject({ created: true, intentId: null, entry: { author: "external", source: "external", message: "" } });

      // A delete intent matches whatever the content hash of the recorded delete.
      const del = await store.beginIntent({ path: "/r/a", op: "delete", contentHash: sha256(""), author: "gina", source: "api" });
      const deleted = await store.recordObserved({ path: "/r/a", version: 3, mzxid: "101", czxid: "90", op: "delete", content: "from zkCli" });
      expect(deleted).toMatchObject({ created: true, intentId: del.id, entry: { op: "delete", author: "gina" } });

      const racing = await Promise.all(Array.from({ length: 4 }, () => store.recordObserved({ path: "/r/b", version: 0, mzxid: "200", czxid: "200", op: "create", content: "x" })));
      expect(racing.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(racing.map((r) => r.entry.id)).size).toBe(1);
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

    it("appends audit rows and filters them by path prefix, actor, action and time", async () => {
      const store = await openStore();
      const t0 = 1_700_000_000_000;
      const rows = [
        { actor: "alice", action: "config.update", path: "/pay/prod/limits.json", at: t0 },
        { actor: "bob", action: "config.create", path: "/pay/dev/x", at: t0 + 1000 },
        { actor: "alice", action: "config.delete", path: "/payroll/y", at: t0 + 2000 },
        { actor: "carol", action: "config.update", path: "/PAY/upper", at: t0 + 3000 },
        { actor: "alice", action: "cluster.info", at: t0 + 4000 },
        { actor: "dave", action: "config.update", path: "/a_b/c", at: t0 + 5000 },
        { actor: "dave", action: "config.update", path: "/aXb/c", at: t0 + 6000 },
        { actor: "erin", action: "config.update", path: "/pay", at: t0 + 7000 },
      ];
      for (const r of rows) await store.audit({ ...r, source: "console", detail: { note: r.action }, ip: "127.0.0.1" });
      await store.audit({ actor: "system", action: "reconcile", source: "system", detail: "plain text" });

      const all = await store.listAudit({ limit: 100 });
      expect(all.items).toHaveLength(9);
      expect(all.items[0]).toMatchObject({ actor: "system", detail: "plain text" });
      expect(all.items[0]).not.toHaveProperty("path");
      expect(all.items.at(-1)).toMatchObject({ actor: "alice", path: "/pay/prod/limits.json", detail: '{"note":"config.update"}', ip: "127.0.0.1", source: "console", at: t0 });

      const paths = async (q: Parameters<HistoryStore["listAudit"]>[0]) => (await store.listAudit(q)).items.map((e) => e.path ?? "-");
      expect(await paths({ pathPrefix: "/pay" })).toEqual(["/pay", "/pay/dev/x", "/pay/prod/limits.json"]);
      expect(await paths({ pathPrefix: "/pay/" })).toEqual(["/pay", "/pay/dev/x", "/pay/prod/limits.json"]);
      expect(await paths({ pathPrefix: "/PAY" })).toEqual(["/PAY/upper"]);
      expect(await paths({ pathPrefix: "/a_b" })).toEqual(["/a_b/c"]);
      expect(await paths({ pathPrefix: "/" })).toHaveLength(7);
      expect(await paths({ actor: "alice" })).toEqual(["-", "/payroll/y", "/pay/prod/limits.json"]);
      expect(await paths({ action: "config.update", actor: "dave" })).toEqual(["/aXb/c", "/a_b/c"]);
      expect(await paths({ since: t0 + 1000, until: t0 + 3000 })).toEqual(["/payroll/y", "/pay/dev/x"]);
      expect(await paths({ since: new Date(t0 + 6000), pathPrefix: "/", actor: "dave" })).toEqual(["/aXb/c"]);

      // Pages of a prefix query stay full and ordered although the database over-selects.
      await store.audit({ actor: "z", action: "a", path: "/pay/1", source: "api" });
      await store.audit({ actor: "z", action: "a", path: "/PAY/2", source: "api" });
      await store.audit({ actor: "z", action: "a", path: "/PAY/3", source: "api" });
      await store.audit({ actor: "z", action: "a", path: "/pay/4", source: "api" });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await store.listAudit({ pathPrefix: "/pay", limit: 2, cursor });
        expect(page.items.length === 2 || page.nextCursor === null).toBe(true);
        seen.push(...page.items.map((e) => e.path ?? "-"));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(["/pay/4", "/pay/1", "/pay", "/pay/dev/x", "/pay/prod/limits.json"]);
    });

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
      await expectHistoryError(store.audit({ actor: "a", action: "b", source: "browser" as "api" }), "INVALID_ARGUMENT");
      await store.close();
      await expectHistoryError(store.list("/p"), "CLOSED");
      await store.close();
    });
  });
}

