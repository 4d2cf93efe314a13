/**
 * The accounts domain: bootstrap admin, login with per-account and per-address lockout, login
 * sessions, password changes, users and their role bindings, API tokens. Every security-relevant
 * event is written to the append-only audit log with who, when and from where. Secrets are only
 * ever stored as digests; a token or session secret is returned once, to its owner.
 */
import type { AccountStore, AdminAffectingChange, ApiTokenRecord, AuditInput, UserRecord } from "@conifer/history";
import { isWithin } from "@conifer/coordinator";
import { ConfigError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { authorize, isRole, type Principal, type Role } from "./authz.ts";
import { digest, dummyHash, generatePassword, hashPassword, newSecret, verifyPassword } from "./secrets.ts";
import { checkPrefix } from "./prefix.ts";
import { TokenService } from "./token-service.ts";

export interface AuthPolicy {
  sessionTtlMs: number;
  /** failed logins per account within the window before it is locked until the window passes */
  maxUserFailures: number;
  /** failed logins per client address within the window */
  maxIpFailures: number;
  lockoutWindowMs: number;
}

export const DEFAULT_AUTH_POLICY: AuthPolicy = {
  sessionTtlMs: 12 * 3600_000,
  maxUserFailures: 5,
  maxIpFailures: 50,
  lockoutWindowMs: 15 * 60_000,
};

/** Who acts and from where, for the audit log. */
export interface RequestOrigin {
  ip?: string;
  source: "console" | "api" | "sdk";
}

export type Revocation =
  { kind: "token"; tokenId: number } | { kind: "user"; userId: number } | { kind: "session"; sessionHash: string };

export interface UserView {
  id: number;
  username: string;
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: number;
  roles: { pathPrefix: string; role: Role }[];
}

export type TokenView = ApiTokenRecord;

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const MIN_PASSWORD = 8;
const MAX_PASSWORD = 1024;

type AuditFn = (entry: AuditInput) => Promise<unknown>;

export class AuthService {
  private readonly policy: AuthPolicy;
  private readonly revokeListeners = new Set<(r: Revocation) => void>();
  /** API tokens: create, list, revoke, lifetimes, and the bearer check the edges run */
  readonly tokens: TokenService;

  constructor(
    private readonly store: AccountStore,
    private readonly auditFn: AuditFn,
    private readonly log: Logger,
    policy: Partial<AuthPolicy> = {},
  ) {
    this.policy = { ...DEFAULT_AUTH_POLICY, ...policy };
    this.tokens = new TokenService(
      store,
      (entry) => this.audit(entry),
      (r) => this.emit(r),
    );
  }

  /** With no users yet, creates the admin. Returns the generated password when none was given (print it once). */
  async bootstrap(
    username: string,
    password?: string,
  ): Promise<{ created: false } | { created: true; username: string; generatedPassword?: string }> {
    if ((await this.store.countUsers()) > 0) return { created: false };
    checkUsername(username);
    const pw = password ?? generatePassword();
    checkPassword(pw);
    let user: UserRecord;
    try {
      user = await this.store.createUser({
        username,
        passwordHash: await hashPassword(pw),
        mustChangePassword: password === undefined,
      });
    } catch (err) {
      // another server process sharing the database bootstrapped at the same moment
      if (await this.store.userByName(username)) return { created: false };
      throw err;
    }
    await this.store.setBinding(user.id, "/", "admin");
    await this.audit({ actor: "system", action: "user.bootstrap", detail: { username }, source: "system" });
    return { created: true, username, ...(password === undefined ? { generatedPassword: pw } : {}) };
  }

  async login(
    username: string,
    password: string,
    origin: RequestOrigin,
  ): Promise<{ secret: string; principal: Principal; expiresAt: number }> {
    const ip = origin.ip ?? "unknown";
    const name = username.slice(0, 64);
    const failures = await this.store.recentFailures(name, ip, Date.now() - this.policy.lockoutWindowMs);
    if (failures.user >= this.policy.maxUserFailures || failures.ip >= this.policy.maxIpFailures) {
      await this.audit({ actor: name, action: "login.locked", detail: failures, source: origin.source, ip });
      throw new ConfigError("RATE_LIMITED", "Too many failed sign-ins: try again later", {
        retryAfterMs: this.policy.lockoutWindowMs,
      });
    }
    const user = USERNAME.test(name) ? await this.store.userByName(name) : null;
    // verify against a dummy hash for unknown users: same cost, so timing reveals nothing
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !ok || user.disabled) {
      await this.store.recordLoginAttempt({ username: name, ip, success: false });
      await this.audit({
        actor: name,
        action: "login.failed",
        detail: user?.disabled ? "account disabled" : "bad credentials",
        source: origin.source,
        ip,
      });
      throw new ConfigError("UNAUTHENTICATED", "Wrong user name or password");
    }
    await this.store.recordLoginAttempt({ username: name, ip, success: true });
    const secret = newSecret();
    const expiresAt = Date.now() + this.policy.sessionTtlMs;
    await this.store.createSession({ tokenHash: digest(secret), userId: user.id, expiresAt, ip });
    await this.audit({ actor: user.username, action: "login", source: origin.source, ip });
    return { secret, principal: await this.userPrincipal(user, digest(secret)), expiresAt };
  }

  async logout(p: Principal, origin: RequestOrigin): Promise<void> {
    if (p.kind !== "user") return;
    await this.store.deleteSession(p.sessionHash);
    await this.audit({ actor: p.name, action: "logout", source: origin.source, ip: origin.ip });
    this.emit({ kind: "session", sessionHash: p.sessionHash });
  }

  /** The signed-in user of a session cookie, or null (unknown, expired, disabled). */
  async sessionPrincipal(secret: string | undefined): Promise<Principal | null> {
    if (!secret || secret.length > 200) return null;
    const hash = digest(secret);
    const session = await this.store.sessionByHash(hash);
    if (!session) return null;
    if (session.expiresAt <= Date.now()) {
      await this.store.deleteSession(hash);
      return null;
    }
    const user = await this.store.userById(session.userId);
    if (!user || user.disabled) return null;
    return this.userPrincipal(user, hash);
  }

  async changePassword(p: Principal, current: string, next: string, origin: RequestOrigin): Promise<void> {
    if (p.kind !== "user") throw new ConfigError("FORBIDDEN", "API tokens have no password");
    const user = await this.store.userById(p.userId);
    if (!user || !(await verifyPassword(current, user.passwordHash))) {
      await this.audit({ actor: p.name, action: "password.change.failed", source: origin.source, ip: origin.ip });
      throw new ConfigError("FORBIDDEN", "The current password is wrong");
    }
    checkPassword(next);
    if (next === current) throw new ConfigError("INVALID_INPUT", "The new password must differ from the current one");
    await this.store.setPassword(user.id, await hashPassword(next), false);
    // every other session of this user ends: a stolen cookie dies with the old password
    await this.store.deleteUserSessions(user.id, p.sessionHash);
    await this.audit({ actor: p.name, action: "password.change", source: origin.source, ip: origin.ip });
  }

  // ─── administration (admin on "/") ───────────────────────────────────────────────────────

  async listUsers(p: Principal): Promise<UserView[]> {
    authorize(p, "admin");
    const [users, bindings] = await Promise.all([this.store.listUsers(), this.store.listBindings()]);
    return users.map((u) =>
      view(
        u,
        bindings.filter((b) => b.userId === u.id),
      ),
    );
  }

  async createUser(
    p: Principal,
    input: { username: string; password: string; roles: { pathPrefix: string; role: string }[] },
    origin: RequestOrigin,
  ): Promise<UserView> {
    authorize(p, "admin");
    checkUsername(input.username);
    checkPassword(input.password);
    for (const r of input.roles) checkGrant(r.pathPrefix, r.role);
    if (await this.store.userByName(input.username))
      throw new ConfigError("ALREADY_EXISTS", `User ${input.username} already exists`);
    const user = await this.store.createUser({
      username: input.username,
      passwordHash: await hashPassword(input.password),
      mustChangePassword: true,
    });
    for (const r of input.roles) await this.store.setBinding(user.id, r.pathPrefix, r.role);
    await this.audit({
      actor: p.name,
      action: "user.create",
      detail: { username: user.username, roles: input.roles },
      source: origin.source,
      ip: origin.ip,
    });
    return view(user, await this.store.bindingsOf(user.id));
  }

  async setRole(
    p: Principal,
    input: { userId: number; pathPrefix: string; role: string | null },
    origin: RequestOrigin,
  ): Promise<UserView> {
    authorize(p, "admin");
    const user = await this.requireUser(input.userId);
    if (input.role !== null) checkGrant(input.pathPrefix, input.role);
    await this.keepingAdmin(
      input.role === null
        ? { kind: "removeBinding", userId: user.id, pathPrefix: input.pathPrefix }
        : { kind: "setBinding", userId: user.id, pathPrefix: input.pathPrefix, role: input.role },
    );
    await this.audit({
      actor: p.name,
      action: input.role === null ? "role.remove" : "role.set",
      path: input.pathPrefix,
      detail: { username: user.username, role: input.role },
      source: origin.source,
      ip: origin.ip,
    });
    return view(user, await this.store.bindingsOf(user.id));
  }

  async setDisabled(p: Principal, input: { userId: number; disabled: boolean }, origin: RequestOrigin): Promise<void> {
    authorize(p, "admin");
    const user = await this.requireUser(input.userId);
    if (p.kind === "user" && user.id === p.userId)
      throw new ConfigError("INVALID_INPUT", "You cannot disable yourself");
    if (input.disabled) await this.keepingAdmin({ kind: "setDisabled", userId: user.id, disabled: true });
    else await this.store.setDisabled(user.id, false);
    if (input.disabled) {
      await this.store.deleteUserSessions(user.id);
      this.emit({ kind: "user", userId: user.id });
    }
    await this.audit({
      actor: p.name,
      action: input.disabled ? "user.disable" : "user.enable",
      detail: { username: user.username },
      source: origin.source,
      ip: origin.ip,
    });
  }

  /** Deletes the account, its role bindings and sessions; its audit rows and history stay (they name it). */
  async deleteUser(p: Principal, input: { userId: number }, origin: RequestOrigin): Promise<void> {
    authorize(p, "admin");
    const user = await this.requireUser(input.userId);
    if (p.kind === "user" && user.id === p.userId) throw new ConfigError("INVALID_INPUT", "You cannot delete yourself");
    await this.keepingAdmin({ kind: "deleteUser", userId: user.id });
    this.emit({ kind: "user", userId: user.id });
    await this.audit({
      actor: p.name,
      action: "user.delete",
      detail: { username: user.username },
      source: origin.source,
      ip: origin.ip,
    });
  }

  async resetPassword(p: Principal, input: { userId: number; password: string }, origin: RequestOrigin): Promise<void> {
    authorize(p, "admin");
    const user = await this.requireUser(input.userId);
    checkPassword(input.password);
    await this.store.setPassword(user.id, await hashPassword(input.password), true);
    await this.store.deleteUserSessions(user.id);
    this.emit({ kind: "user", userId: user.id });
    await this.audit({
      actor: p.name,
      action: "password.reset",
      detail: { username: user.username },
      source: origin.source,
      ip: origin.ip,
    });
  }

  /**
   * Recovery run on the server host (`npm run admin -- reset-password <user>`), for a lost admin
   * password: no principal, because whoever can open the database already holds everything. A
   * generated one-time password (to change at next sign-in) replaces the old one, the account is
   * unlocked (its failed sign-ins are forgotten) and its sessions end; the audit log records it.
   */
  async recoverPassword(username: string, host: string): Promise<{ password: string }> {
    const user = await this.store.userByName(username);
    if (!user) throw new ConfigError("NOT_FOUND", `No user ${username}`);
    const password = generatePassword();
    await this.store.setPassword(user.id, await hashPassword(password), true);
    await this.store.deleteUserSessions(user.id);
    await this.store.recordLoginAttempt({ username: user.username, ip: "recovery", success: true });
    this.emit({ kind: "user", userId: user.id });
    await this.audit({
      actor: "system",
      action: "password.recover",
      detail: { username: user.username, via: "reset-password command", host },
      source: "system",
    });
    return { password };
  }

  /**
   * Of these principals, the ones whose credentials were revoked, expired or logged out since —
   * possibly through another server process sharing the database (the gateway sweeps with it).
   */
  async stale(principals: Principal[]): Promise<Principal[]> {
    const tokenIds = principals.flatMap((p) => (p.kind === "token" ? [p.tokenId] : []));
    const hashes = principals.flatMap((p) => (p.kind === "user" ? [p.sessionHash] : []));
    const [active, live] = await Promise.all([
      tokenIds.length ? this.store.activeTokenIds(tokenIds) : Promise.resolve([]),
      hashes.length ? this.store.liveSessionHashes(hashes) : Promise.resolve([]),
    ]);
    const a = new Set(active);
    const l = new Set(live);
    return principals.filter((p) => (p.kind === "token" ? !a.has(p.tokenId) : !l.has(p.sessionHash)));
  }

  /** Live connections authenticated by something just revoked must be dropped (the gateway listens). */
  onRevoked(listener: (r: Revocation) => void): () => void {
    this.revokeListeners.add(listener);
    return () => this.revokeListeners.delete(listener);
  }

  private emit(r: Revocation): void {
    for (const l of this.revokeListeners) l(r);
  }

  /**
   * The installation must keep an enabled admin on "/": the store applies the change and counts
   * in one serialized transaction, so two admins demoting each other at once (through any server
   * process) cannot both succeed.
   */
  private async keepingAdmin(change: AdminAffectingChange): Promise<void> {
    if ((await this.store.changeKeepingAdmin(change)) === "last-admin")
      throw new ConfigError(
        "FORBIDDEN",
        'Refused: this would leave no enabled admin on "/". Make someone else an admin first.',
        { reason: "last-admin" },
      );
  }

  private async requireUser(id: number): Promise<UserRecord> {
    const user = await this.store.userById(id);
    if (!user) throw new ConfigError("NOT_FOUND", `No user ${id}`);
    return user;
  }

  private async userPrincipal(user: UserRecord, sessionHash: string): Promise<Principal> {
    const bindings = await this.store.bindingsOf(user.id);
    return {
      kind: "user",
      userId: user.id,
      name: user.username,
      sessionHash,
      mustChangePassword: user.mustChangePassword,
      grants: bindings.flatMap((b) => (isRole(b.role) ? [{ pathPrefix: b.pathPrefix, role: b.role }] : [])),
    };
  }

  private async audit(entry: AuditInput): Promise<void> {
    try {
      await this.auditFn(entry);
    } catch (err) {
      // an audit failure must be loud; the action itself already happened or was refused
      this.log.error(`audit ${entry.action} by ${entry.actor} failed`, err);
      throw err;
    }
  }
}

function view(u: UserRecord, bindings: { pathPrefix: string; role: string }[]): UserView {
  return {
    id: u.id,
    username: u.username,
    disabled: u.disabled,
    mustChangePassword: u.mustChangePassword,
    createdAt: u.createdAt,
    roles: bindings.flatMap((b) => (isRole(b.role) ? [{ pathPrefix: b.pathPrefix, role: b.role }] : [])),
  };
}

function checkUsername(name: string): void {
  if (!USERNAME.test(name))
    throw new ConfigError(
      "INVALID_INPUT",
      "User names are 1-64 characters: letters, digits, . _ @ -, starting with a letter or digit",
    );
}

function checkPassword(pw: string): void {
  if (pw.length < MIN_PASSWORD || pw.length > MAX_PASSWORD)
    throw new ConfigError("INVALID_INPUT", `Passwords are ${MIN_PASSWORD} to ${MAX_PASSWORD} characters`);
}

function checkGrant(prefix: string, role: string): void {
  checkPrefix(prefix);
  if (!isRole(role)) throw new ConfigError("INVALID_INPUT", `Unknown role ${role}`);
  if (role === "admin" && !isWithin("/", prefix))
    throw new ConfigError("INVALID_INPUT", 'The admin role is global: bind it on "/"');
}
