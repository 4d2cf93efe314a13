/**
 * The plain records of the accounts storage (users, login sessions, API tokens, role bindings)
 * and the AccountStore interface @conifer/core's auth services call. No Prisma type appears here.
 */

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
