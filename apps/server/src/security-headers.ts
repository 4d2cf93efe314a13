/**
 * Security headers on every answer (API and console): a Content-Security-Policy that allows only
 * this origin's scripts and no framing, plus nosniff, no-referrer and DENY framing for old browsers.
 * Next.js streams its React payload in inline <script> tags without a nonce in this setup, so
 * script-src needs 'unsafe-inline'; what keeps config values inert is that the console renders
 * them as text (React escaping, no dangerouslySetInnerHTML) — checked by a browser test.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader("content-security-policy", CONTENT_SECURITY_POLICY);
  res.setHeader("x-frame-options", "DENY");
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "no-referrer");
  res.setHeader("cross-origin-opener-policy", "same-origin");
}

/** Served over TLS directly, or behind a proxy that says so (only ever adds Secure to cookies). */
export function isHttps(req: IncomingMessage): boolean {
  return ("encrypted" in req.socket && !!req.socket.encrypted) || req.headers["x-forwarded-proto"] === "https";
}
