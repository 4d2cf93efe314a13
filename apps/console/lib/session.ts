/**
 * The browser side of signing in: the CSRF token (readable cookie set at login, echoed in the
 * `x-csrf-token` header of every request) and the way to the sign-in page when the session ends.
 */
"use client";
import { parseCookie } from "cookie";

export function csrfToken(): string {
  if (typeof document === "undefined") return "";
  return parseCookie(document.cookie)["conifer_csrf"] ?? "";
}

/** Sends the browser to /login, remembering where it was (only same-site paths are ever followed). */
export function goToLogin(): void {
  if (typeof window === "undefined" || window.location.pathname === "/login") return;
  const next = window.location.pathname + window.location.search;
  window.location.assign(`/login?next=${encodeURIComponent(next)}`);
}

/** Where to go after signing in: a local path only, never another origin. */
export function safeNext(raw: string | null): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\") || raw.startsWith("/login"))
    return "/nodes";
  return raw;
}
