/**
 * Accounts storage: users, login sessions, API tokens, role bindings and login attempts. Only
 * rows live here — hashing, secrets and policy belong to @conifer/core's auth service, which
 * hands in already-hashed values. Prisma rows never leave this file: callers get plain records.
 */
import type { Db } from "./client.ts";

export interface UserRecord {
  id: number;
  username: string;
  passwordHash: string;
  mustChangePassword: boolean;
  disabled: boolean;
  createdAt: number;
}

export interface LoginSessionRecord {
  id: number;
  userId: number;
  createdAt: number;
  expiresAt: number;
  ip: string | null;
}

export interface ApiTokenRecord {
  id: number;
  name: string;
  prefixes: string[];
  access: "read" | "read-write";
  createdBy: string;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
  /** null: never expires */
  expiresAt: number | null;
}

export interface RoleBindingRecord {
  id: number;
  userId: number;
  pathPrefix: string;
  role: string;
}

/**
 * An account change that can take the admin role away from someone: it goes through
 * `changeKeepingAdmin`, never straight to the rows.
 */
export type AdminAffectingChange =
  | { kind: "setBinding"; userId: number; pathPrefix: string; role: string }
  | { kind: "removeBinding"; userId: number; pathPrefix: string }
  | { kind: "setDisabled"; userId: number; disabled: boolean }
  | { kind: "deleteUser"; userId: number };

export interface AccountStore {
  countUsers(): Promise<number>;
  createUser(u: { username: string; passwordHash: string; mustChangePassword: boolean }): Promise<UserRecord>;
  userByName(username: string): Promise<UserRecord | null>;
  userById(id: number): Promise<UserRecord | null>;
  listUsers(): Promise<UserRecord[]>;
  setPassword(userId: number, passwordHash: string, mustChange: boolean): Promise<void>;
  setDisabled(userId: number, disabled: boolean): Promise<void>;

  createSession(s: { tokenHash: string; userId: number; expiresAt: number; ip?: string }): Promise<LoginSessionRecord>;
  sessionByHash(tokenHash: string): Promise<LoginSessionRecord | null>;
  deleteSession(tokenHash: string): Promise<void>;
  deleteUserSessions(userId: number, exceptHash?: string): Promise<void>;

  createToken(t: {
    name: string;
    tokenHash: string;
    prefixes: string[];
    access: "read" | "read-write";
    createdBy: string;
    /** ms epoch; absent or null: never expires */
    expiresAt?: number | null;
  }): Promise<ApiTokenRecord>;
  tokenByHash(tokenHash: string): Promise<ApiTokenRecord | null>;
  listTokens(): Promise<ApiTokenRecord[]>;
  revokeToken(id: number): Promise<ApiTokenRecord | null>;
  /** Records that a token authenticated a request (shown as "last used"). */
  touchToken(id: number, at: Date): Promise<void>;
  /** Of these token ids, the ones that exist, are not revoked and have not expired. */
  activeTokenIds(ids: number[]): Promise<number[]>;
  /** An installation-wide setting (JSON text), or null when never set. */
  setting(key: string): Promise<string | null>;
  setSetting(key: string, value: string, updatedBy: string): Promise<void>;
  /** Of these session digests, the ones that exist and have not expired. */
  liveSessionHashes(hashes: string[]): Promise<string[]>;

  bindingsOf(userId: number): Promise<RoleBindingRecord[]>;
  listBindings(): Promise<RoleBindingRecord[]>;
  setBinding(userId: number, pathPrefix: string, role: string): Promise<RoleBindingRecord>;
  removeBinding(userId: number, pathPrefix: string): Promise<boolean>;
  /**
   * Applies `change` in one transaction, serialized with every other such change, also those of
   * other server processes on the same database (SQLite's write lock, taken by the change's first
   * statement; an advisory lock on PostgreSQL). When the change would leave no enabled user with
   * admin on "/", it is rolled back and "last-admin" is returned.
   */
  changeKeepingAdmin(change: AdminAffectingChange): Promise<"done" | "last-admin">;

  recordLoginAttempt(a: { username: string; ip: string; success: boolean }): Promise<void>;
  /** failures since `since` (ms epoch) for this username and for this ip, the account's count restarting after its last success */
  recentFailures(username: string, ip: string, since: number): Promise<{ user: number; ip: number }>;
}

type UserRow = Awaited<ReturnType<Db["user"]["create"]>>;
type TokenRow = Awaited<ReturnType<Db["apiToken"]["create"]>>;
type SessionRow = Awaited<ReturnType<Db["loginSession"]["create"]>>;

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  passwordHash: r.passwordHash,
  mustChangePassword: r.mustChangePassword,
  disabled: r.disabled,
  createdAt: r.createdAt.getTime(),
});

const toSession = (r: SessionRow): LoginSessionRecord => ({
  id: r.id,
  userId: r.userId,
  createdAt: r.createdAt.getTime(),
  expiresAt: r.expiresAt.getTime(),
  ip: r.ip,
});

const toToken = (r: TokenRow): ApiTokenRecord => ({
  id: r.id,
  name: r.name,
  prefixes: JSON.parse(r.prefixes) as string[],
  access: r.access === "read-write" ? "read-write" : "read",
  createdBy: r.createdBy,
  createdAt: r.createdAt.getTime(),
  revokedAt: r.revokedAt ? r.revokedAt.getTime() : null,
  lastUsedAt: r.lastUsedAt ? r.lastUsedAt.getTime() : null,
  expiresAt: r.expiresAt ? r.expiresAt.getTime() : null,
});

/** Any constant: the advisory lock id that serializes admin-affecting changes on PostgreSQL. */
const ADMIN_LOCK_ID = 0x636f6e69;

class LastAdmin extends Error {}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

async function applyChange(tx: Tx, change: AdminAffectingChange): Promise<void> {
  const { userId } = change;
  switch (change.kind) {
    case "setBinding":
      await tx.roleBinding.upsert({
        where: { userId_pathPrefix: { userId, pathPrefix: change.pathPrefix } },
        create: { userId, pathPrefix: change.pathPrefix, role: change.role },
        update: { role: change.role },
      });
      return;
    case "removeBinding":
      await tx.roleBinding.deleteMany({ where: { userId, pathPrefix: change.pathPrefix } });
      return;
    case "setDisabled":
      await tx.user.updateMany({ where: { id: userId }, data: { disabled: change.disabled } });
      return;
    case "deleteUser":
      await tx.roleBinding.deleteMany({ where: { userId } });
      await tx.loginSession.deleteMany({ where: { userId } });
      await tx.user.deleteMany({ where: { id: userId } });
      return;
  }
}

async function enabledRootAdmins(tx: Tx): Promise<number> {
  const ids = (
    await tx.roleBinding.findMany({ where: { pathPrefix: "/", role: "admin" }, select: { userId: true } })
  ).map((b) => b.userId);
  return ids.length ? tx.user.count({ where: { id: { in: ids }, disabled: false } }) : 0;
}

export function accountStore(
  db: Db,
  guard: <R>(what: string, fn: () => Promise<R>) => Promise<R>,
  provider: "sqlite" | "postgresql" = "sqlite",
): AccountStore {
  return {
    countUsers: () => guard("countUsers", () => db.user.count()),
    createUser: (u) => guard("createUser", async () => toUser(await db.user.create({ data: u }))),
    userByName: (username) =>
      guard("userByName", async () => {
        const r = await db.user.findUnique({ where: { username } });
        return r ? toUser(r) : null;
      }),
    userById: (id) =>
      guard("userById", async () => {
        const r = await db.user.findUnique({ where: { id } });
        return r ? toUser(r) : null;
      }),
    listUsers: () =>
      guard("listUsers", async () => (await db.user.findMany({ orderBy: { username: "asc" } })).map(toUser)),
    setPassword: (userId, passwordHash, mustChange) =>
      guard("setPassword", async () => {
        await db.user.update({
          where: { id: userId },
          data: { passwordHash, mustChangePassword: mustChange, passwordChangedAt: new Date() },
        });
      }),
    setDisabled: (userId, disabled) =>
      guard("setDisabled", async () => {
        await db.user.update({ where: { id: userId }, data: { disabled } });
      }),

    createSession: (s) =>
      guard("createSession", async () =>
        toSession(
          await db.loginSession.create({
            data: { tokenHash: s.tokenHash, userId: s.userId, expiresAt: new Date(s.expiresAt), ip: s.ip ?? null },
          }),
        ),
      ),
    sessionByHash: (tokenHash) =>
      guard("sessionByHash", async () => {
        const r = await db.loginSession.findUnique({ where: { tokenHash } });
        return r ? toSession(r) : null;
      }),
    deleteSession: (tokenHash) =>
      guard("deleteSession", async () => {
        await db.loginSession.deleteMany({ where: { tokenHash } });
      }),
    deleteUserSessions: (userId, exceptHash) =>
      guard("deleteUserSessions", async () => {
        await db.loginSession.deleteMany({
          where: { userId, ...(exceptHash ? { NOT: { tokenHash: exceptHash } } : {}) },
        });
      }),

    createToken: (t) =>
      guard("createToken", async () =>
        toToken(
          await db.apiToken.create({
            data: {
              ...t,
              prefixes: JSON.stringify(t.prefixes),
              expiresAt: t.expiresAt == null ? null : new Date(t.expiresAt),
            },
          }),
        ),
      ),
    tokenByHash: (tokenHash) =>
      guard("tokenByHash", async () => {
        const r = await db.apiToken.findUnique({ where: { tokenHash } });
        return r ? toToken(r) : null;
      }),
    listTokens: () =>
      guard("listTokens", async () => (await db.apiToken.findMany({ orderBy: { id: "desc" } })).map(toToken)),
    revokeToken: (id) =>
      guard("revokeToken", async () => {
        const found = await db.apiToken.findUnique({ where: { id } });
        if (!found) return null;
        if (found.revokedAt) return toToken(found);
        return toToken(await db.apiToken.update({ where: { id }, data: { revokedAt: new Date() } }));
      }),

    touchToken: (id, at) =>
      guard("touchToken", async () => {
        await db.apiToken.updateMany({ where: { id }, data: { lastUsedAt: at } });
      }),
    activeTokenIds: (ids) =>
      guard("activeTokenIds", async () =>
        (
          await db.apiToken.findMany({
            where: { id: { in: ids }, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
            select: { id: true },
          })
        ).map((r) => r.id),
      ),
    setting: (key) => guard("setting", async () => (await db.setting.findUnique({ where: { key } }))?.value ?? null),
    setSetting: (key, value, updatedBy) =>
      guard("setSetting", async () => {
        await db.setting.upsert({ where: { key }, create: { key, value, updatedBy }, update: { value, updatedBy } });
      }),
    liveSessionHashes: (hashes) =>
      guard("liveSessionHashes", async () =>
        (
          await db.loginSession.findMany({
            where: { tokenHash: { in: hashes }, expiresAt: { gt: new Date() } },
            select: { tokenHash: true },
          })
        ).map((r) => r.tokenHash),
      ),
    bindingsOf: (userId) =>
      guard("bindingsOf", async () =>
        (await db.roleBinding.findMany({ where: { userId }, orderBy: { pathPrefix: "asc" } })).map((r) => ({
          id: r.id,
          userId: r.userId,
          pathPrefix: r.pathPrefix,
          role: r.role,
        })),
      ),
    listBindings: () =>
      guard("listBindings", async () =>
        (await db.roleBinding.findMany({ orderBy: [{ userId: "asc" }, { pathPrefix: "asc" }] })).map((r) => ({
          id: r.id,
          userId: r.userId,
          pathPrefix: r.pathPrefix,
          role: r.role,
        })),
      ),
    setBinding: (userId, pathPrefix, role) =>
      guard("setBinding", async () => {
        const r = await db.roleBinding.upsert({
          where: { userId_pathPrefix: { userId, pathPrefix } },
          create: { userId, pathPrefix, role },
          update: { role },
        });
        return { id: r.id, userId: r.userId, pathPrefix: r.pathPrefix, role: r.role };
      }),
    removeBinding: (userId, pathPrefix) =>
      guard(
        "removeBinding",
        async () => (await db.roleBinding.deleteMany({ where: { userId, pathPrefix } })).count > 0,
      ),
    changeKeepingAdmin: (change) =>
      guard("changeKeepingAdmin", async () => {
        try {
          await db.$transaction(async (tx) => {
            // PostgreSQL: two admins demoting each other at once would each still count the
            // other; the lock makes the second wait and count after the first committed.
            // SQLite (WAL): a write first takes the database's write lock before anything is
            // read, so the count below cannot come from a snapshot another process has moved past.
            if (provider === "postgresql")
              await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${String(ADMIN_LOCK_ID)})`);
            else
              await tx.$executeRawUnsafe(
                `UPDATE "User" SET "disabled" = "disabled" WHERE "id" = ${String(change.userId)}`,
              );
            await applyChange(tx, change);
            if ((await enabledRootAdmins(tx)) === 0) throw new LastAdmin();
          });
          return "done";
        } catch (err) {
          if (err instanceof LastAdmin) return "last-admin";
          throw err;
        }
      }),

    recordLoginAttempt: (a) =>
      guard("recordLoginAttempt", async () => {
        await db.loginAttempt.create({ data: a });
      }),
    recentFailures: (username, ip, since) =>
      guard("recentFailures", async () => {
        // a success clears the account's count; the address's count only expires (one valid
        // account must not let an address keep guessing the others)
        const lastOk = await db.loginAttempt.findFirst({ where: { username, success: true }, orderBy: { id: "desc" } });
        const userFrom = new Date(Math.max(since, lastOk ? lastOk.at.getTime() + 1 : 0));
        const user = await db.loginAttempt.count({ where: { username, success: false, at: { gte: userFrom } } });
        const byIp = await db.loginAttempt.count({ where: { ip, success: false, at: { gte: new Date(since) } } });
        return { user, ip: byIp };
      }),
  };
}
