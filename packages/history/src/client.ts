/**
 * Creates the Prisma client for a database target. The two generated clients (one per provider,
 * from identical models) are loaded lazily so a SQLite deployment never loads the PostgreSQL one.
 * Both connect through driver adapters, the only mode Prisma 6.19 runs in without native engines.
 */
import type { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import type { DatabaseTarget } from "./url.ts";

/**
 * The store codes against the SQLite client's type; the PostgreSQL client has the same models and
 * the same delegate API, only its nominal type differs.
 */
export type Db = SqliteClient;

export interface ClientOptions {
  /** PostgreSQL pool size per store (default 5). */
  poolSize?: number;
}

/**
 * "minimal" errors, as Prisma already does under NODE_ENV=production: with any other format the
 * client captures an Error (a stack trace) on every query, to point at the calling line if the
 * query fails; that was about 4 % of the CPU of a hot read in the profile. Our messages name the
 * store method instead (toHistoryError), and callers never see Prisma's code frames.
 */
const CLIENT_OPTIONS = { errorFormat: "minimal" } as const;

export async function createClient(target: DatabaseTarget, options: ClientOptions = {}): Promise<Db> {
  if (target.provider === "sqlite") {
    const [{ PrismaClient }, { PrismaBetterSQLite3 }] = await Promise.all([
      import("./generated/sqlite/client.ts"),
      import("@prisma/adapter-better-sqlite3"),
    ]);
    // timeout = SQLite busy timeout: wait for another process's write instead of failing at once.
    return new PrismaClient({
      ...CLIENT_OPTIONS,
      adapter: new PrismaBetterSQLite3({ url: `file:${target.file}`, timeout: 30_000 }),
    });
  }
  const [{ PrismaClient }, { PrismaPg }] = await Promise.all([
    import("./generated/postgresql/client.ts"),
    import("@prisma/adapter-pg"),
  ]);
  // pg closes a connection after 10 s idle by default, so the first history read after a quiet
  // spell (the usual pattern: someone opens a key's history in the console) paid a new TCP
  // connection and PostgreSQL backend start-up, a p99 outlier of several ms. Keep them 5 minutes.
  const pool = { connectionString: target.url, max: options.poolSize ?? 5, idleTimeoutMillis: 300_000 };
  const adapter = new PrismaPg(pool, target.schema ? { schema: target.schema } : undefined);
  const client = new PrismaClient({ ...CLIENT_OPTIONS, adapter });
  return client as unknown as Db;
}
