/**
 * Server errors as readable text. The server maps every failure once to a ConfigError and its
 * errorFormatter puts the error's body in `data.conifer`; the typed tRPC client gives it here
 * with its type (`code` narrows `details`, e.g. CONFLICT's current version and content), so the
 * console never parses untyped data. It shows the message and never a stack trace.
 */
import type { AppRouter } from "@conifer/api";
import { isTRPCClientError } from "@trpc/client";

/** `data.conifer` as the server's errorFormatter declares it. */
export type ConiferErrorInfo = NonNullable<ReturnType<typeof serverError>>;

function serverError(err: unknown) {
  return isTRPCClientError<AppRouter>(err) ? err.data?.conifer : undefined;
}

export function coniferError(err: unknown): ConiferErrorInfo | null {
  return serverError(err) ?? null;
}

export function errorMessage(err: unknown): string {
  const c = coniferError(err);
  if (c) return c.message;
  const m = typeof err === "object" && err !== null && "message" in err ? err.message : undefined;
  if (typeof m === "string") {
    if (/fetch failed|Failed to fetch|NetworkError|Load failed/i.test(m))
      return "Cannot reach the Conifer server. Check that it is running; retrying shortly.";
    if (/Unexpected token|JSON/i.test(m) && /</.test(m))
      return "The server sent an unexpected response (is /trpc served by Conifer?).";
    return m;
  }
  return "Something went wrong.";
}

export function errorCode(err: unknown): ConiferErrorInfo["code"] | null {
  return coniferError(err)?.code ?? null;
}
