/**
 * The shapes the accounts domain shares between its services (AuthService, UserAdmin,
 * TokenService): the policy, who acts from where, what a revocation names, the views returned
 * to admins. Types only, so the services import them without importing each other.
 */
import type { ApiTokenRecord, AuditInput } from "@conifer/history";
import type { Role } from "./authz.ts";

export interface AuthPolicy {
  sessionTtlMs: number;
  /** failed logins per account within the window before it is locked until the window passes */
  maxUserFailures: number;
  /** failed logins per client address within the window */
  maxIpFailures: number;
  lockoutWindowMs: number;
}

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

/** Writes one audit row; a failure is logged and rethrown by AuthService's wrapper. */
export type AuditFn = (entry: AuditInput) => Promise<void>;

/** Announces a revocation to the live connections that must be dropped. */
export type RevokeFn = (r: Revocation) => void;
