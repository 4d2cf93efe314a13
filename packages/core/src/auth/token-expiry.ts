/**
 * API token lifetimes: a token may carry an expiry, chosen when it is created or taken from the
 * installation's default lifetime (an admin setting kept in the database, so every server
 * process sharing it agrees). An expired token is refused with a message that says so, rather
 * than the "unknown token" every other failure gets, so whoever runs the SDK knows what to do.
 */
import type { AccountStore, ApiTokenRecord } from "@conifer/history";
import { ConfigError } from "../errors.ts";

export const DEFAULT_LIFETIME_KEY = "tokens.defaultLifetimeDays";
/** Ten years: anything longer is "never", which is its own choice. */
export const MAX_LIFETIME_DAYS = 3650;
const DAY_MS = 86_400_000;

export function checkLifetimeDays(days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > MAX_LIFETIME_DAYS)
    throw new ConfigError("INVALID_INPUT", `A token lifetime is 1 to ${MAX_LIFETIME_DAYS} days, got ${days}`);
}

/** The default lifetime in days, or null when tokens never expire by default. */
export async function defaultLifetimeDays(store: AccountStore): Promise<number | null> {
  const raw = await store.setting(DEFAULT_LIFETIME_KEY);
  if (raw === null) return null;
  const days: unknown = JSON.parse(raw);
  return typeof days === "number" && Number.isInteger(days) && days > 0 ? days : null;
}

/** `undefined` asks for the default; `null` is "never expires". */
export async function expiryFor(
  store: AccountStore,
  requested: number | null | undefined,
  now: number,
): Promise<number | null> {
  const days = requested === undefined ? await defaultLifetimeDays(store) : requested;
  if (days === null) return null;
  checkLifetimeDays(days);
  return now + days * DAY_MS;
}

export function isExpired(t: Pick<ApiTokenRecord, "expiresAt">, now: number): boolean {
  return t.expiresAt !== null && t.expiresAt <= now;
}

export function expiredMessage(t: Pick<ApiTokenRecord, "name" | "expiresAt">): string {
  const at = t.expiresAt === null ? "" : ` on ${new Date(t.expiresAt).toISOString()}`;
  return `API token "${t.name}" expired${at}: ask an admin for a new token (console → API tokens)`;
}
