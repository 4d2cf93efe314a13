/**
 * `openHistoryStore`: parses the URL, brings the schema up to date (migrate.ts), connects the
 * Prisma client and returns the store. Every method checks the store is open and turns database
 * failures into HistoryError, so callers handle one error type.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { AccountStore } from "./account-types.ts";
import { accountStore } from "./accounts.ts";
import { releaseStore, type ReleaseStore } from "./releases.ts";
import { appendAudit, auditFacets, listAudit, versionRows } from "./audit.ts";
import { createClient, type Db } from "./client.ts";
import { byMzxid, get, latest, latestPerPath, list, record, recordObserved } from "./entries.ts";
import { HistoryError, toHistoryError } from "./errors.ts";
import { historyTable } from "./hot-reads.ts";
import { beginIntent, completeIntent, getIntent, pendingIntents } from "./intents.ts";
import { defaultMigrationsDir, migratePostgres, migrateSqlite, readMigrations } from "./migrate.ts";
import type {
  AuditEntry,
  AuditInput,
  AuditQuery,
  CompleteIntentOptions,
  HistoryEntry,
  HistoryEntryWithContent,
  IntentInput,
  ListOptions,
  ObservedChange,
  ObservedResult,
  Page,
  PendingIntentQuery,
  RecordInput,
  RecordOptions,
  VersionRow,
  WriteIntent,
  ZxidInput,
} from "./types.ts";
import { parseDatabaseUrl, redact } from "./url.ts";

export interface HistoryStoreOptions {
  /** `file:<path>` (SQLite) or `postgres://…` / `postgresql://…`. */
  url: string;
  /** Overrides prisma/<provider>/migrations (tests of the migrator). */
  migrationsDir?: string;
  /** PostgreSQL connection pool size (default 5). */
  poolSize?: number;
}

export interface HistoryStore {
  readonly provider: "sqlite" | "postgresql";
  /** Names of the migrations this open applied (empty when the schema was already current). */
  readonly migrationsApplied: readonly string[];

  /**
   * Idempotent on (path, mzxid, op): returns the existing entry when the change is already
   * recorded. With `completesIntent`, that intent is completed in the same transaction.
   */
  record(entry: RecordInput, options?: RecordOptions): Promise<HistoryEntry>;
  /** Records a change seen in the backend, attributed to a matching pending intent or as "external". */
  recordObserved(change: ObservedChange): Promise<ObservedResult>;
  list(path: string, options?: ListOptions): Promise<Page<HistoryEntry>>;
  get(id: string): Promise<HistoryEntryWithContent | null>;
  latest(path: string): Promise<HistoryEntryWithContent | null>;
  byMzxid(path: string, mzxid: ZxidInput): Promise<HistoryEntryWithContent | null>;
  latestPerPath(options?: { under?: string }): Promise<HistoryEntry[]>;

  audit(entry: AuditInput): Promise<AuditEntry>;
  listAudit(query?: AuditQuery): Promise<Page<AuditEntry>>;
  /** The distinct actions and actors of the audit log, sorted. */
  auditFacets(): Promise<{ actions: string[]; actors: string[] }>;
  /** History rows (not deletes) of these (path, version) pairs: what audit rows link to. */
  versionRows(refs: readonly { path: string; version: number }[]): Promise<VersionRow[]>;

  beginIntent(intent: IntentInput): Promise<WriteIntent>;
  completeIntent(id: string, options?: CompleteIntentOptions): Promise<boolean>;
  getIntent(id: string): Promise<WriteIntent | null>;
  pendingIntents(query?: PendingIntentQuery): Promise<WriteIntent[]>;

  /** Users, login sessions, API tokens, role bindings, login attempts (see accounts.ts). */
  readonly accounts: AccountStore;
  /** Change requests, reviews, publish policies and releases (see releases.ts). */
  readonly releases: ReleaseStore;

  /** A trivial round trip, for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openHistoryStore(options: HistoryStoreOptions): Promise<HistoryStore> {
  const target = parseDatabaseUrl(options.url);
  const migrations = readMigrations(options.migrationsDir ?? defaultMigrationsDir(target.provider), target.provider);
  let applied: string[];
  if (target.provider === "sqlite") {
    mkdirSync(dirname(target.file), { recursive: true });
    applied = await migrateSqlite(target.file, migrations);
  } else {
    applied = await migratePostgres(target.url, migrations, target.schema);
  }

  let db: Db;
  try {
    db = await createClient(target, { poolSize: options.poolSize });
    await db.$connect();
  } catch (err) {
    throw toHistoryError(err, `connecting to ${target.provider === "sqlite" ? target.file : redact(target.url)}`);
  }

  const table = historyTable(target);
  let closed = false;
  const guard =
    <A extends unknown[], R>(what: string, fn: (db: Db, ...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (closed) throw new HistoryError("CLOSED", `history store is closed (${what})`);
      try {
        return await fn(db, ...args);
      } catch (err) {
        throw toHistoryError(err, what);
      }
    };

  return {
    provider: target.provider,
    migrationsApplied: applied,
    record: guard("record", record),
    recordObserved: guard("recordObserved", recordObserved),
    list: guard("list", (client, path: string, options?: ListOptions) => list(client, table, path, options)),
    get: guard("get", get),
    latest: guard("latest", latest),
    byMzxid: guard("byMzxid", (client, path: string, mzxid: ZxidInput) => byMzxid(client, table, path, mzxid)),
    latestPerPath: guard("latestPerPath", latestPerPath),
    audit: guard("audit", appendAudit),
    listAudit: guard("listAudit", listAudit),
    auditFacets: guard("auditFacets", auditFacets),
    versionRows: guard("versionRows", versionRows),
    beginIntent: guard("beginIntent", beginIntent),
    completeIntent: guard("completeIntent", completeIntent),
    getIntent: guard("getIntent", getIntent),
    pendingIntents: guard("pendingIntents", pendingIntents),
    accounts: accountStore(db, (what, fn) => guard(what, () => fn())(), target.provider),
    releases: releaseStore(db, (what, fn) => guard(what, () => fn())()),
    ping: guard("ping", async (client) => {
      await client.$queryRawUnsafe("SELECT 1");
    }),
    async close() {
      if (closed) return;
      closed = true;
      await db.$disconnect();
    },
  };
}
