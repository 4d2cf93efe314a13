/**
 * Applies prisma/<provider>/migrations when the store opens, in process, and records them in
 * Prisma's own `_prisma_migrations` table (same columns, same sha256 checksums), so the Prisma
 * CLI (`migrate deploy` / `migrate status`) sees a database migrated here as up to date and vice
 * versa.
 *
 * Why not spawn `prisma migrate deploy`: on this stack (Prisma 6.19, WASM schema engine through
 * driver adapters, the only engine available offline) it fails on PostgreSQL with "Column type
 * 'name' could not be deserialized" (prisma/prisma#27403), and a CLI child costs about a second
 * per open even when nothing is pending. Each migration runs in one transaction together with its
 * bookkeeping row, under Prisma's advisory lock on PostgreSQL and an immediate (write) transaction
 * on SQLite, so several servers opening the same database at once apply each migration once.
 */
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { HistoryError } from "./errors.ts";

export type Provider = "sqlite" | "postgresql";

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** The repo's prisma/<provider>/migrations folder (packages export their TS source, so this is stable). */
export function defaultMigrationsDir(provider: Provider): string {
  return fileURLToPath(new URL(`../../../prisma/${provider}/migrations`, import.meta.url));
}

export function readMigrations(dir: string, provider: Provider): Migration[] {
  if (!existsSync(dir)) throw new HistoryError("MIGRATION_FAILED", `no migrations folder at ${dir}`);
  const lock = join(dir, "migration_lock.toml");
  if (existsSync(lock) && !new RegExp(`provider\\s*=\\s*"${provider}"`).test(readFileSync(lock, "utf8"))) {
    throw new HistoryError("MIGRATION_FAILED", `${lock} is not for ${provider}`);
  }
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(dir, name, "migration.sql"));
      return { name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
    });
}

// Prisma's own bookkeeping table, created exactly as the Prisma CLI creates it.
const SQLITE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const POSTGRES_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// The key `prisma migrate deploy` itself locks, so we also exclude a concurrent CLI run.
const PRISMA_ADVISORY_LOCK = 72707369;

interface AppliedRow {
  migration_name: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

function pending(migrations: Migration[], rows: AppliedRow[]): Migration[] {
  const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
  if (failed)
    throw new HistoryError(
      "MIGRATION_FAILED",
      `migration ${failed.migration_name} failed earlier and was never resolved; fix the database by hand (see prisma migrate resolve)`,
    );
  const done = new Set(
    rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => r.migration_name),
  );
  return migrations.filter((m) => !done.has(m.name));
}

/** Prisma writes SQLite timestamps as ISO strings with an explicit +00:00 offset. */
function sqliteNow(): string {
  return new Date().toISOString().replace("Z", "+00:00");
}

export async function migrateSqlite(file: string, migrations: Migration[]): Promise<string[]> {
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(file, { timeout: 30_000 });
  try {
    // WAL lets readers (the console) proceed while the server writes; it persists in the file.
    db.pragma("journal_mode = WAL");
    db.exec(SQLITE_TABLE);
    const applied: string[] = [];
    const run = db.transaction(() => {
      const rows = db
        .prepare(`SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations"`)
        .all() as AppliedRow[];
      for (const m of pending(migrations, rows)) {
        const startedAt = sqliteNow();
        db.exec(m.sql);
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
        ).run(randomUUID(), m.checksum, sqliteNow(), m.name, startedAt);
        applied.push(m.name);
      }
    });
    run.immediate();
    return applied;
  } catch (err) {
    throw migrationError(err);
  } finally {
    db.close();
  }
}

export async function migratePostgres(url: string, migrations: Migration[], schema?: string): Promise<string[]> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw new HistoryError("UNAVAILABLE", `cannot connect to the history database: ${(err as Error).message}`, {
      cause: err,
    });
  }
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK]);
    if (schema) {
      // As Prisma does for ?schema=: the migrations and their bookkeeping table live in that schema.
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await client.query(`SET search_path TO "${schema}"`);
    }
    await client.query(POSTGRES_TABLE);
    const { rows } = await client.query<AppliedRow>(
      `SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations"`,
    );
    const applied: string[] = [];
    for (const m of pending(migrations, rows)) {
      await client.query("BEGIN");
      try {
        const startedAt = new Date();
        await client.query(m.sql); // simple-query protocol: a whole multi-statement script at once
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, NULL, NULL, $4, 1)`,
          [randomUUID(), m.checksum, m.name, startedAt],
        );
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {});
        throw err;
      }
      applied.push(m.name);
    }
    return applied;
  } catch (err) {
    throw migrationError(err);
  } finally {
    // Ending the session releases the advisory lock too.
    await client.end().catch(() => {});
  }
}

function migrationError(err: unknown): HistoryError {
  if (err instanceof HistoryError) return err;
  return new HistoryError("MIGRATION_FAILED", `applying history migrations failed: ${(err as Error).message}`, {
    cause: err,
  });
}
