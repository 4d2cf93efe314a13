/**
 * The accounts domain: bootstrap admin, login with per-account and per-address lockout, login
 * sessions, password changes; user administration (`users`) and API tokens (`tokens`) are its
 * two sub-services. Every security-relevant event is written to the append-only audit log with
 * who, when and from where. Secrets are only ever stored as digests; a token or session secret is
 * returned once, to its owner.
 */
import type { AccountStore, AuditInput, UserRecord } from "@conifer/history";
import { ConfigError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { actedBy, checkPassword, checkUsername, grantsOf, USERNAME } from "./account-rules.ts";
import type { AuthPolicy, RequestOrigin, Revocation } from "./auth-types.ts";
import type { Principal } from "./authz.ts";
import { digest, dummyHash, generatePassword, hashPassword, newSecret, verifyPassword } from "./secrets.ts";
import { TokenService } from "./token-service.ts";
import { UserAdmin } from "./user-admin.ts";

export const DEFAULT_AUTH_POLICY: AuthPolicy = {
  sessionTtlMs: 12 * 3600_000,
  maxUserFailures: 5,
  maxIpFailures: 50,
  lockoutWindowMs: 15 * 60_000,
};

export class AuthService {
  private readonly policy: AuthPolicy;
  private readonly revokeListeners = new Set<(r: Revocation) => void>();
  /** API tokens: create, list, revoke, lifetimes, and the bearer check the edges run */
  readonly tokens: TokenService;
  /** User administration: users, their role bindings, password resets and recovery */
  readonly users: UserAdmin;

  constructor(
    private readonly store: AccountStore,
    private readonly auditFn: (entry: AuditInput) => Promise<unknown>,
    private readonly log: Logger,
    policy: Partial<AuthPolicy> = {},
  ) {
    this.policy = { ...DEFAULT_AUTH_POLICY, ...policy };
    const audit = (entry: AuditInput) => this.audit(entry);
    const emit = (r: Revocation) => {
      this.emit(r);
    };
    this.tokens = new TokenService(store, audit, emit);
    this.users = new UserAdmin(store, audit, emit);
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
      await this.audit(actedBy(name, { ...origin, ip }, "login.locked", { detail: failures }));
      throw new ConfigError("RATE_LIMITED", "Too many failed sign-ins: try again later", {
        retryAfterMs: this.policy.lockoutWindowMs,
      });
    }
    const user = USERNAME.test(name) ? await this.store.userByName(name) : null;
    // verify against a dummy hash for unknown users: same cost, so timing reveals nothing
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !ok || user.disabled) {
      await this.store.recordLoginAttempt({ username: name, ip, success: false });
      const detail = user?.disabled ? "account disabled" : "bad credentials";
      await this.audit(actedBy(name, { ...origin, ip }, "login.failed", { detail }));
      throw new ConfigError("UNAUTHENTICATED", "Wrong user name or password");
    }
    await this.store.recordLoginAttempt({ username: name, ip, success: true });
    const secret = newSecret();
    const expiresAt = Date.now() + this.policy.sessionTtlMs;
    await this.store.createSession({ tokenHash: digest(secret), userId: user.id, expiresAt, ip });
    await this.audit(actedBy(user.username, { ...origin, ip }, "login"));
    return { secret, principal: await this.userPrincipal(user, digest(secret)), expiresAt };
  }

  async logout(p: Principal, origin: RequestOrigin): Promise<void> {
    if (p.kind !== "user") return;
    await this.store.deleteSession(p.sessionHash);
    await this.audit(actedBy(p.name, origin, "logout"));
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
      await this.audit(actedBy(p.name, origin, "password.change.failed"));
      throw new ConfigError("FORBIDDEN", "The current password is wrong");
    }
    checkPassword(next);
    if (next === current) throw new ConfigError("INVALID_INPUT", "The new password must differ from the current one");
    await this.store.setPassword(user.id, await hashPassword(next), false);
    // every other session of this user ends: a stolen cookie dies with the old password
    await this.store.deleteUserSessions(user.id, p.sessionHash);
    await this.audit(actedBy(p.name, origin, "password.change"));
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

  private userPrincipal(user: UserRecord, sessionHash: string): Promise<Principal> {
    return userPrincipal(this.store, user, sessionHash);
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

/**
 * A user's principal with their role bindings as they are now. Also used where the server acts
 * for a user without a request (a scheduled publish fires with its scheduler's current rights).
 */
export async function userPrincipal(
  store: Pick<AccountStore, "bindingsOf">,
  user: UserRecord,
  sessionHash: string,
): Promise<Principal> {
  const bindings = await store.bindingsOf(user.id);
  return {
    kind: "user",
    userId: user.id,
    name: user.username,
    sessionHash,
    mustChangePassword: user.mustChangePassword,
    grants: grantsOf(bindings),
  };
}
