/**
 * Accounts storage: users, login sessions, API tokens, role bindings and login attempts. Only
 * rows live here — hashing, secrets and policy belong to @conifer/core's auth service, which
 * hands in already-hashed values. Prisma rows never leave this file: callers get plain records.
 */
import type {
  AccountStore,
  ApiTokenRecord,
  LoginSessionRecord,
  RoleBindingRecord,
  UserRecord,
} from "./account-types.ts";
import type { Db } from "./client.ts";
import { changeKeepingAdmin } from "./last-admin.ts";

type BindingRow = Awaited<ReturnType<Db["roleBinding"]["create"]>>;
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

const toBinding = (r: BindingRow): RoleBindingRecord => ({
  id: r.id,
  userId: r.userId,
  pathPrefix: r.pathPrefix,
  role: r.role,
});

/** The record of a row looked up by a unique key, or null when there is none. */
const orNull = <R, T>(row: R | null, toRecord: (r: R) => T): T | null => (row ? toRecord(row) : null);

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

export function accountStore(
  db: Db,
  guard: <R>(what: string, fn: () => Promise<R>) => Promise<R>,
  provider: "sqlite" | "postgresql" = "sqlite",
): AccountStore {
  return {
    countUsers: () => guard("countUsers", () => db.user.count()),
    createUser: (u) => guard("createUser", async () => toUser(await db.user.create({ data: u }))),
    userByName: (username) =>
      guard("userByName", async () => orNull(await db.user.findUnique({ where: { username } }), toUser)),
    userById: (id) => guard("userById", async () => orNull(await db.user.findUnique({ where: { id } }), toUser)),
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
      guard("sessionByHash", async () => orNull(await db.loginSession.findUnique({ where: { tokenHash } }), toSession)),
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
      guard("tokenByHash", async () => orNull(await db.apiToken.findUnique({ where: { tokenHash } }), toToken)),
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
        (await db.roleBinding.findMany({ where: { userId }, orderBy: { pathPrefix: "asc" } })).map(toBinding),
      ),
    listBindings: () =>
      guard("listBindings", async () =>
        (await db.roleBinding.findMany({ orderBy: [{ userId: "asc" }, { pathPrefix: "asc" }] })).map(toBinding),
      ),
    setBinding: (userId, pathPrefix, role) =>
      guard("setBinding", async () => {
        const r = await db.roleBinding.upsert({
          where: { userId_pathPrefix: { userId, pathPrefix } },
          create: { userId, pathPrefix, role },
          update: { role },
        });
        return toBinding(r);
      }),
    removeBinding: (userId, pathPrefix) =>
      guard(
        "removeBinding",
        async () => (await db.roleBinding.deleteMany({ where: { userId, pathPrefix } })).count > 0,
      ),
    changeKeepingAdmin: (change) => guard("changeKeepingAdmin", () => changeKeepingAdmin(db, provider, change)),

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
