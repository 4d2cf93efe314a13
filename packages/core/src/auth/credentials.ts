/**
 * Reading credentials off a request, the same way for tRPC, REST and the socket.io handshake
 * (the transports pass headers in; the policy of what a credential is lives here, beside auth):
 * an API token (`Authorization: Bearer cnf_…`, or the socket auth payload) or the login session
 * cookie; plus the CSRF double-submit check (header `x-csrf-token` equal to the readable
 * `conifer_csrf` cookie) and the Origin check that cookie-authenticated mutations must pass.
 */
import { timingSafeEqual } from "node:crypto";
import { parseCookie, stringifySetCookie, type SerializeOptions } from "cookie";
import type { AuthService } from "./auth-service.ts";
import type { Principal } from "./authz.ts";

export const SESSION_COOKIE = "conifer_session";
export const CSRF_COOKIE = "conifer_csrf";
export const CSRF_HEADER = "x-csrf-token";

export type HeaderBag = Headers | Record<string, string | string[] | undefined>;

export function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The Cookie header's values by name (the first of a repeated name wins, as browsers send it). */
export function parseCookies(raw: string | undefined): Record<string, string | undefined> {
  return parseCookie(raw ?? "");
}

export function bearer(headers: HeaderBag): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header(headers, "authorization") ?? "");
  return m?.[1];
}

export interface Credentials {
  principal: Principal | null;
  via: "session" | "token" | null;
  /** cookie-authenticated requests only: double-submit token and Origin both check out */
  csrfOk: boolean;
  /** the request's Origin is absent or this server's own */
  sameOrigin: boolean;
  /** why a presented credential was refused, when that is worth telling (an expired API token) */
  refusal?: string;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Absent Origin (non-browser clients) passes; a browser's Origin must name this host. */
export function sameOriginOf(headers: HeaderBag): boolean {
  const origin = header(headers, "origin");
  if (!origin) return true;
  const host = header(headers, "x-forwarded-host") ?? header(headers, "host");
  try {
    return !!host && new URL(origin).host === host;
  } catch {
    return false;
  }
}

export async function readCredentials(
  auth: AuthService,
  headers: HeaderBag,
  socketToken?: string,
): Promise<Credentials> {
  const sameOrigin = sameOriginOf(headers);
  const token = socketToken ?? bearer(headers);
  if (token) {
    const { principal, refusal } = await auth.tokens.check(token);
    return { principal, via: principal ? "token" : null, csrfOk: true, sameOrigin, ...(refusal ? { refusal } : {}) };
  }
  const cookies = parseCookies(header(headers, "cookie"));
  const principal = await auth.sessionPrincipal(cookies[SESSION_COOKIE]);
  if (!principal) return { principal: null, via: null, csrfOk: false, sameOrigin };
  const sent = header(headers, CSRF_HEADER);
  const expected = cookies[CSRF_COOKIE];
  const csrfOk = sameOrigin && !!sent && !!expected && safeEqual(sent, expected);
  return { principal, via: "session", csrfOk, sameOrigin };
}

/** Set-Cookie values for a new session (httpOnly) and its CSRF twin (readable by the console's script). */
export function sessionCookies(secret: string, csrf: string, maxAgeSec: number, secure: boolean): string[] {
  return cookiePair(secret, csrf, { path: "/", sameSite: "strict", maxAge: maxAgeSec, secure });
}

export function clearedCookies(secure: boolean): string[] {
  return cookiePair("", "", { path: "/", sameSite: "strict", maxAge: 0, secure });
}

function cookiePair(secret: string, csrf: string, attrs: SerializeOptions): string[] {
  return [
    stringifySetCookie(SESSION_COOKIE, secret, { ...attrs, httpOnly: true }),
    stringifySetCookie(CSRF_COOKIE, csrf, attrs),
  ];
}
