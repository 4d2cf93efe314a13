/**
 * The rules an account's input must follow (user names, passwords, role grants), the role
 * bindings a user is granted, and the audit row of an action someone took from an origin: what
 * the sign-in, user and token services all apply the same way.
 */
import type { AuditInput } from "@conifer/history";
import { isWithin } from "@conifer/coordinator";
import { ConfigError } from "../errors.ts";
import { isRole, type Role } from "./authz.ts";
import type { RequestOrigin } from "./auth-types.ts";
import { checkPrefix } from "./prefix.ts";

export const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const MIN_PASSWORD = 8;
const MAX_PASSWORD = 1024;

export function checkUsername(name: string): void {
  if (!USERNAME.test(name))
    throw new ConfigError(
      "INVALID_INPUT",
      "User names are 1-64 characters: letters, digits, . _ @ -, starting with a letter or digit",
    );
}

export function checkPassword(pw: string): void {
  if (pw.length < MIN_PASSWORD || pw.length > MAX_PASSWORD)
    throw new ConfigError("INVALID_INPUT", `Passwords are ${MIN_PASSWORD} to ${MAX_PASSWORD} characters`);
}

export function checkGrant(prefix: string, role: string): void {
  checkPrefix(prefix);
  if (!isRole(role)) throw new ConfigError("INVALID_INPUT", `Unknown role ${role}`);
  if (role === "admin" && !isWithin("/", prefix))
    throw new ConfigError("INVALID_INPUT", 'The admin role is global: bind it on "/"');
}

/** The grants of stored bindings; a role this version does not know grants nothing. */
export function grantsOf(bindings: { pathPrefix: string; role: string }[]): { pathPrefix: string; role: Role }[] {
  return bindings.flatMap((b) => (isRole(b.role) ? [{ pathPrefix: b.pathPrefix, role: b.role }] : []));
}

/** The audit row of `action` taken by `actor` from `origin`. */
export function actedBy(
  actor: string,
  origin: RequestOrigin,
  action: string,
  more: Pick<AuditInput, "path" | "detail"> = {},
): AuditInput {
  return { actor, action, ...more, source: origin.source, ip: origin.ip };
}
