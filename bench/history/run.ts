/**
 * History queries at scale: R rows (paths × versions, default 10,000 × 100 = 1,000,000) bulk-
 * inserted with raw SQL (one INSERT … SELECT; a seed row written by the store gives the exact
 * column encodings), then the store's own methods are timed: `list(path, { limit: 20 })` ("last
 * 20 versions of a path") and `byMzxid(path, mzxid)` ("content at version v"), on SQLite and on
 * PostgreSQL. The target is absolute (p99 under 5 ms); as the floor, the same two queries are
 * also timed as raw SQL on a plain driver connection (better-sqlite3 / pg), interleaved with the
 * store's calls (timeQueries).
 * `npx tsx bench/history/run.ts [--quick] [--rows 1000000] [--samples 2000] [--db sqlite,postgresql]`
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { openHistoryStore, type HistoryStore } from "@conifer/history";
import { startPostgres } from "@conifer/history/testing";
import { machine } from "../lib/machine.ts";
import { argValue, fmt, quick, ratio, summarize, table } from "../lib/stats.ts";

const VERSIONS = 100;
const rows = Number(argValue("rows", quick ? "100000" : "1000000"));
const paths = Math.max(1, Math.round(rows / VERSIONS));
const samples = Number(argValue("samples", quick ? "500" : "2000"));
const dbs = argValue("db", "sqlite,postgresql").split(",");
const pathOf = (p: number) => `/bench/app-${p}/config.json`;
const mzxidOf = (p: number, v: number) => p * 1000 + v + 1_000_000;
const COLS = `"path","version","mzxid","czxid","op","content","encoding","contentHash","size","author","message","source","at"`;

async function seed(store: HistoryStore): Promise<void> {
  await store.record({
    path: "/seed",
    version: 0,
    mzxid: 1n,
    czxid: 1n,
    op: "create",
    content: "{}",
    author: "bench",
    source: "api",
  });
}

function loadSqlite(file: string): void {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.exec(`
    WITH RECURSIVE p(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM p WHERE i < ${paths - 1}),
                   v(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM v WHERE j < ${VERSIONS - 1})
    INSERT INTO "HistoryEntry" (${COLS})
    SELECT '/bench/app-' || i || '/config.json', j, i * 1000 + j + 1000000, i * 1000 + 1000000,
           CASE WHEN j = 0 THEN 'create' ELSE 'update' END,
           printf('{"app":%d,"version":%d,"limits":{"max":%d,"burst":%d},"note":"%s"}', i, j, j * 10, j * 3, hex(randomblob(48))),
           s."encoding", s."contentHash", 150, s."author", 'bench', s."source", s."at"
    FROM p, v, (SELECT * FROM "HistoryEntry" WHERE "path" = '/seed') s;
    ANALYZE;`);
  db.close();
}

async function loadPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`
    INSERT INTO "HistoryEntry" (${COLS})
    SELECT '/bench/app-' || i || '/config.json', j, i * 1000 + j + 1000000, i * 1000 + 1000000,
           CASE WHEN j = 0 THEN 'create' ELSE 'update' END,
           format('{"app":%s,"version":%s,"limits":{"max":%s,"burst":%s},"note":"%s"}', i, j, j * 10, j * 3, md5(random()::text) || md5(random()::text) || md5(random()::text)),
           s."encoding", s."contentHash", 150, s."author", 'bench', s."source", s."at"
    FROM generate_series(0, ${paths - 1}) i, generate_series(0, ${VERSIONS - 1}) j, (SELECT * FROM "HistoryEntry" WHERE "path" = '/seed') s`);
  await client.query("VACUUM ANALYZE");
  await client.end();
}

type Raw = {
  list(path: string): Promise<unknown[]>;
  at(path: string, mzxid: number): Promise<unknown[]>;
  close(): Promise<void>;
};

// The columns the store's list reads (all but the content).
const LIST_SQL = `SELECT "id","path","version","mzxid","czxid","op","encoding","author","message","source","at","contentHash","size" FROM "HistoryEntry" WHERE "path" = $1 ORDER BY "mzxid" DESC, "id" DESC LIMIT 21`;
const AT_SQL = `SELECT * FROM "HistoryEntry" WHERE "path" = $1 AND "mzxid" = $2 ORDER BY "id" ASC`;

function rawSqlite(file: string): Raw {
  const db = new Database(file, { readonly: true });
  const list = db.prepare(LIST_SQL.replace("$1", "?"));
  const at = db.prepare(AT_SQL.replace("$1", "?").replace("$2", "?"));
  // a statement that throws still rejects, as an async method would
  return {
    list: (p) => Promise.resolve().then(() => list.all(p)),
    at: (p, m) => Promise.resolve().then(() => at.all(p, m)),
    close: () =>
      Promise.resolve().then(() => {
        db.close();
      }),
  };
}

async function rawPostgres(url: string): Promise<Raw> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    list: async (p) =>
      (await client.query<Record<string, unknown>>({ name: "list", text: LIST_SQL, values: [p] })).rows,
    at: async (p, m) =>
      (await client.query<Record<string, unknown>>({ name: "at", text: AT_SQL, values: [p, m] })).rows,
    close: () => client.end(),
  };
}

type Times = { list: number[]; at: number[]; rawList: number[]; rawAt: number[] };

/**
 * The store's two methods and the same two queries as raw SQL, one after the other for the same
 * random path and version in every iteration: on a shared machine whose load swings from one
 * minute to the next, store and floor are then sampled under the same load, so their ratio means
 * something (timing them in two separate phases once gave x5 at one load and x1.7 at the next).
 */
async function timeQueries(store: HistoryStore, raw: Raw): Promise<Times> {
  const t: Times = { list: [], at: [], rawList: [], rawAt: [] };
  for (let i = 0; i < samples + 100; i++) {
    const p = Math.floor(Math.random() * paths);
    const v = Math.floor(Math.random() * VERSIONS);
    const t0 = performance.now();
    const page = await store.list(pathOf(p), { limit: 20 });
    const t1 = performance.now();
    const entry = await store.byMzxid(pathOf(p), BigInt(mzxidOf(p, v)));
    const t2 = performance.now();
    const rawPage = await raw.list(pathOf(p));
    const t3 = performance.now();
    const rows = await raw.at(pathOf(p), mzxidOf(p, v));
    const t4 = performance.now();
    if (page.items.length !== 20 || !entry || entry.version !== v)
      throw new Error(`wrong answer for ${pathOf(p)} v${v}`);
    if (rawPage.length !== 21 || rows.length !== 1) throw new Error(`raw: wrong answer for ${pathOf(p)} v${v}`);
    if (i < 100) continue; // warm-up
    t.list.push(t1 - t0);
    t.at.push(t2 - t1);
    t.rawList.push(t3 - t2);
    t.rawAt.push(t4 - t3);
  }
  return t;
}

console.log(`history benchmark: ${machine()}`);
const out: (string | number)[][] = [];
for (const db of dbs) {
  const dir = await mkdtemp(join(tmpdir(), "conifer-bench-history-"));
  const pgServer = db === "postgresql" ? await startPostgres() : null;
  try {
    const url = pgServer ? await pgServer.createDatabase("bench") : `file:${join(dir, "history.db")}`;
    let store = await openHistoryStore({ url });
    await seed(store);
    const t0 = performance.now();
    if (pgServer) await loadPostgres(url);
    else {
      await store.close();
      loadSqlite(join(dir, "history.db"));
      store = await openHistoryStore({ url });
    }
    const loadS = (performance.now() - t0) / 1000;
    console.log(`${db}: ${paths * VERSIONS} rows loaded in ${fmt(loadS)} s`);
    const raw = pgServer ? await rawPostgres(url) : rawSqlite(join(dir, "history.db"));
    const r = await timeQueries(store, raw);
    await store.close();
    await raw.close();
    for (const [name, values, rawValues] of [
      ["last 20 versions (list)", r.list, r.rawList],
      ["content at version (byMzxid)", r.at, r.rawAt],
    ] as const) {
      const s = summarize(values);
      const f = summarize(rawValues);
      out.push([
        db,
        paths * VERSIONS,
        name,
        fmt(s.p50, 2),
        fmt(s.p99, 2),
        fmt(s.max, 2),
        fmt(f.p50, 2),
        fmt(f.p99, 2),
        ratio(s.p99, f.p99),
        s.p99 < 5 ? "met" : "missed",
      ]);
    }
  } finally {
    await pgServer?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
console.log(
  `\n${samples} random queries each (sequential, after 100 warm-up), through the store's own methods, each followed by the same query as raw SQL\n`,
);
console.log(
  table(
    [
      "database",
      "rows",
      "query",
      "store p50 ms",
      "store p99 ms",
      "store max ms",
      "raw SQL p50",
      "raw SQL p99",
      "p99 ratio",
      "store p99 < 5 ms",
    ],
    out,
  ),
);
process.exit(0);
