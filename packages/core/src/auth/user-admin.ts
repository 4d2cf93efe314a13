/**
 * User administration (admin on "/"): list, create, bind roles, disable, delete, reset a
 * password, and the host-side recovery of a lost admin password. The installation always keeps
 * an enabled admin on "/"; every change is audited, and ending a user's sessions is announced so
 * live connections drop.
 */
import type { AccountStore, AdminAffectingChange, UserRecord } from "@conifer/history";
import { ConfigError } from "../errors.ts";
import { actedBy, checkGrant, checkPassword, checkUsername, grantsOf } from "./account-rules.ts";
import type { AuditFn, RequestOrigin, RevokeFn, UserView } from "./auth-types.ts";
import { authorize, type Principal } from "./authz.ts";
import { generatePassword, hashPassword } from "./secrets.ts";

export class UserAdmin {
  constructor(
    private readonly store: AccountStore,
    private readonly audit: AuditFn,
    private readonly emit: RevokeFn,
  ) {}

  async list(p: Principal): Promise<UserView[]> {
    authorize(p, "admin");
    const [users, bindings] = await Promise.all([this.store.listUsers(), this.store.listBindings()]);
    return users.map((u) =>
      view(
        u,
        bindings.filter((b) => b.userId === u.id),
      ),
    );
  }

  async create(
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
    await this.audit(
      actedBy(p.name, origin, "user.create", { detail: { username: user.username, roles: input.roles } }),
    );
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
    await this.audit(
      actedBy(p.name, origin, input.role === null ? "role.remove" : "role.set", {
        path: input.pathPrefix,
        detail: { username: user.username, role: input.role },
      }),
    );
    return view(user, await this.store.bindingsOf(user.id));
  }

  async setDisabled(p: Principal, input: { userId: number; disabled: boolean }, origin: RequestOrigin): Promise<void> {
    const user = await this.otherUser(p, input.userId, "disable");
    if (input.disabled) await this.keepingAdmin({ kind: "setDisabled", userId: user.id, disabled: true });
    else await this.store.setDisabled(user.id, false);
    if (input.disabled) {
      await this.store.deleteUserSessions(user.id);
      this.emit({ kind: "user", userId: user.id });
    }
    await this.audited(p, origin, input.disabled ? "user.disable" : "user.enable", user);
  }

  /** Deletes the account, its role bindings and sessions; its audit rows and history stay (they name it). */
  async delete(p: Principal, input: { userId: number }, origin: RequestOrigin): Promise<void> {
    const user = await this.otherUser(p, input.userId, "delete");
    await this.keepingAdmin({ kind: "deleteUser", userId: user.id });
    this.emit({ kind: "user", userId: user.id });
    await this.audited(p, origin, "user.delete", user);
  }

  async resetPassword(p: Principal, input: { userId: number; password: string }, origin: RequestOrigin): Promise<void> {
    authorize(p, "admin");
    const user = await this.requireUser(input.userId);
    checkPassword(input.password);
    await this.replacePassword(user, input.password);
    await this.audited(p, origin, "password.reset", user);
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
    await this.replacePassword(user, password);
    await this.store.recordLoginAttempt({ username: user.username, ip: "recovery", success: true });
    await this.audit({
      actor: "system",
      action: "password.recover",
      detail: { username: user.username, via: "reset-password command", host },
      source: "system",
    });
    return { password };
  }

  /** A one-time password (to change at next sign-in) replaces the old one and every session ends. */
  private async replacePassword(user: UserRecord, password: string): Promise<void> {
    await this.store.setPassword(user.id, await hashPassword(password), true);
    await this.store.deleteUserSessions(user.id);
    this.emit({ kind: "user", userId: user.id });
  }

  /** The user an admin acts on, who must not be the admin themself (`verb`: what is refused). */
  private async otherUser(p: Principal, userId: number, verb: "disable" | "delete"): Promise<UserRecord> {
    authorize(p, "admin");
    const user = await this.requireUser(userId);
    if (p.kind === "user" && user.id === p.userId)
      throw new ConfigError("INVALID_INPUT", `You cannot ${verb} yourself`);
    return user;
  }

  private audited(p: Principal, origin: RequestOrigin, action: string, user: UserRecord): Promise<void> {
    return this.audit(actedBy(p.name, origin, action, { detail: { username: user.username } }));
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
}

function view(u: UserRecord, bindings: { pathPrefix: string; role: string }[]): UserView {
  return {
    id: u.id,
    username: u.username,
    disabled: u.disabled,
    mustChangePassword: u.mustChangePassword,
    createdAt: u.createdAt,
    roles: grantsOf(bindings),
  };
}
