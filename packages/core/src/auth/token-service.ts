/**
 * API tokens: what an admin creates, lists and revokes, the lifetime new ones get, and the check
 * every edge (REST, tRPC, socket.io) runs on a bearer secret. Only a token's sha256 is stored; the
 * secret is shown once. Revocations are announced so live connections using it are dropped.
 */
import type { AccountStore } from "@conifer/history";
import { ConfigError } from "../errors.ts";
import { hasControlChar } from "../control-chars.ts";
import { authorize, type Principal } from "./authz.ts";
import { actedBy } from "./account-rules.ts";
import type { AuditFn, RequestOrigin, RevokeFn, TokenView } from "./auth-types.ts";
import { checkPrefix } from "./prefix.ts";
import { digest, newSecret } from "./secrets.ts";
import {
  checkLifetimeDays,
  DEFAULT_LIFETIME_KEY,
  defaultLifetimeDays,
  expiredMessage,
  expiryFor,
  isExpired,
} from "./token-expiry.ts";

export class TokenService {
  constructor(
    private readonly store: AccountStore,
    private readonly audit: AuditFn,
    private readonly emit: RevokeFn,
  ) {}

  /** The API token of a bearer secret, or null (unknown, revoked or expired). */
  async principal(secret: string | undefined): Promise<Principal | null> {
    return (await this.check(secret)).principal;
  }

  /** As principal, with the reason an expired token is refused (the edges answer it). */
  async check(secret: string | undefined): Promise<{ principal: Principal | null; refusal?: string }> {
    if (!secret || secret.length > 200) return { principal: null };
    const t = await this.store.tokenByHash(digest(secret));
    if (!t || t.revokedAt !== null) return { principal: null };
    if (isExpired(t, Date.now())) return { principal: null, refusal: expiredMessage(t) };
    // "last used" to the minute is enough: an SDK polling every second must not write every second
    const now = Date.now();
    if (t.lastUsedAt === null || now - t.lastUsedAt > 60_000) await this.store.touchToken(t.id, new Date(now));
    return { principal: { kind: "token", tokenId: t.id, name: t.name, prefixes: t.prefixes, access: t.access } };
  }

  async list(p: Principal): Promise<TokenView[]> {
    authorize(p, "admin");
    return this.store.listTokens();
  }

  /** The secret is in the answer once and never again: only its sha256 is kept. */
  async create(
    p: Principal,
    input: {
      name: string;
      prefixes: string[];
      access: "read" | "read-write";
      /** days until it expires; null: never; absent: the installation's default lifetime */
      expiresInDays?: number | null;
    },
    origin: RequestOrigin,
  ): Promise<{ token: string; record: TokenView }> {
    authorize(p, "admin");
    const name = input.name.trim();
    if (!name || name.length > 100 || hasControlChar(name))
      throw new ConfigError("INVALID_INPUT", "A token needs a name (1-100 printable characters)");
    if (input.prefixes.length === 0) throw new ConfigError("INVALID_INPUT", "A token needs at least one path prefix");
    for (const prefix of input.prefixes) checkPrefix(prefix);
    const expiresAt = await expiryFor(this.store, input.expiresInDays, Date.now());
    const token = newSecret("cnf_");
    const record = await this.store.createToken({
      name,
      tokenHash: digest(token),
      prefixes: input.prefixes,
      access: input.access,
      createdBy: p.name,
      expiresAt,
    });
    await this.audit(
      actedBy(p.name, origin, "token.create", {
        detail: { id: record.id, name, prefixes: input.prefixes, access: input.access, expiresAt },
      }),
    );
    return { token, record };
  }

  /** The lifetime new tokens get unless their creator picks one (null: they never expire). */
  async settings(p: Principal): Promise<{ defaultLifetimeDays: number | null }> {
    authorize(p, "admin");
    return { defaultLifetimeDays: await defaultLifetimeDays(this.store) };
  }

  async setDefaultLifetime(
    p: Principal,
    days: number | null,
    origin: RequestOrigin,
  ): Promise<{ defaultLifetimeDays: number | null }> {
    authorize(p, "admin");
    if (days !== null) checkLifetimeDays(days);
    await this.store.setSetting(DEFAULT_LIFETIME_KEY, JSON.stringify(days), p.name);
    await this.audit(actedBy(p.name, origin, "tokens.defaultLifetime", { detail: { days } }));
    return { defaultLifetimeDays: days };
  }

  async revoke(p: Principal, id: number, origin: RequestOrigin): Promise<TokenView> {
    authorize(p, "admin");
    const record = await this.store.revokeToken(id);
    if (!record) throw new ConfigError("NOT_FOUND", `No token ${id}`);
    this.emit({ kind: "token", tokenId: id });
    await this.audit(actedBy(p.name, origin, "token.revoke", { detail: { id, name: record.name } }));
    return record;
  }
}
