/**
 * The store contract on SQLite (temp files), plus what is SQLite-specific: the file is created
 * with its directory, and the Prisma CLI agrees that a database migrated by the store is current.
 */
import { ALL_MIGRATIONS } from "./suite-helpers.ts";
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openHistoryStore } from "../src/index.ts";
import { defineStoreSuite } from "./store-suite.ts";

let dir = "";
let n = 0;
defineStoreSuite("SQLite", {
  setup() {
    dir = mkdtempSync(join(tmpdir(), "conifer-history-"));
    return Promise.resolve();
  },
  freshUrl() {
    return Promise.resolve(`file:${join(dir, `db-${++n}`, "history.db")}`);
  },
  teardown() {
    rmSync(dir, { recursive: true, force: true });
    return Promise.resolve();
  },
});

describe("history store on SQLite: files and the Prisma CLI", () => {
  const base = mkdtempSync(join(tmpdir(), "conifer-history-cli-"));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it("creates the database file (and its directory) with the schema and Prisma's migration table", async () => {
    const file = join(base, "nested", "dir", "history.db");
    const store = await openHistoryStore({ url: `file:${file}` });
    await store.record({
      path: "/f",
      version: 0,
      mzxid: "1",
      czxid: "1",
      op: "create",
      content: "hello",
      author: "a",
      source: "api",
    });
    await store.close();
    expect(existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true });
    try {
      const tables = (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
      ).map((r) => r.name);
      expect(tables).toEqual(
        expect.arrayContaining(["AuditEntry", "HistoryEntry", "WriteIntent", "_prisma_migrations"]),
      );
      expect(db.prepare(`SELECT path, content, op FROM "HistoryEntry"`).all()).toEqual([
        { path: "/f", content: "hello", op: "create" },
      ]);
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      db.close();
    }
  });

  it("is seen as up to date by `prisma migrate deploy`", () => {
    const file = join(base, "cli.db");
    return openHistoryStore({ url: `file:${file}` }).then(async (store) => {
      await store.close();
      const require = createRequire(import.meta.url);
      const repo = resolve(import.meta.dirname, "../../..");
      const r = spawnSync(
        process.execPath,
        [
          require.resolve("prisma/build/index.js"),
          "migrate",
          "deploy",
          "--config",
          join(repo, "prisma/sqlite/prisma.config.ts"),
        ],
        {
          cwd: repo,
          encoding: "utf8",
          env: {
            ...process.env,
            CONIFER_HISTORY_DATABASE_URL: `file:${file}`,
            PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
            PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
            CHECKPOINT_DISABLE: "1",
            PRISMA_HIDE_UPDATE_MESSAGE: "1",
          },
        },
      );
      expect(r.status, r.stderr + r.stdout).toBe(0);
      expect(r.stdout).toContain("No pending migrations to apply");
    });
  });

  it("lets several processes open one fresh file at once: one migrates, all write", async () => {
    const file = join(base, "shared.db");
    const child = fileURLToPath(new URL("./fixtures/open-store.ts", import.meta.url));
    const runs = [1, 2, 3].map(
      (i) =>
        new Promise<{ applied: string[]; id: string }>((done, fail) => {
          execFile(
            process.execPath,
            ["--import", "tsx", child, `file:${file}`, String(i)],
            { encoding: "utf8" },
            (err, stdout, stderr) =>
              err
                ? fail(new Error(`${err.message}\n${stderr}`))
                : done(JSON.parse(stdout.trim().split("\n").pop() ?? "") as { applied: string[]; id: string }),
          );
        }),
    );
    const results = await Promise.all(runs);
    expect(results.flatMap((r) => r.applied)).toEqual(ALL_MIGRATIONS);
    const store = await openHistoryStore({ url: `file:${file}` });
    try {
      expect((await store.list("/shared")).items.map((e) => e.mzxid)).toEqual(["3", "2", "1"]);
    } finally {
      await store.close();
    }
  });

  it("rejects URLs that name no supported database", async () => {
    await expect(openHistoryStore({ url: "mysql://x/y" })).rejects.toMatchObject({
      name: "HistoryError",
      code: "INVALID_URL",
    });
    await expect(openHistoryStore({ url: "file::memory:" })).rejects.toMatchObject({ code: "INVALID_URL" });
  });
});
