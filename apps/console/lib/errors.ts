/**
 * Server errors as readable text. The API maps every domain error in one place and puts
 * `{ conifer: { code, message, details } }` in the error's data; the console shows that message
 * and never a stack trace.
 */

export interface ConiferErrorInfo {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

export function coniferError(err: unknown): ConiferErrorInfo | null {
  if (!isObject(err)) return null;
  const data = err["data"];
  if (!isObject(data)) return null;
  const c = data["conifer"];
  if (!isObject(c) || typeof c["message"] !== "string") return null;
  return {
    code: typeof c["code"] === "string" ? c["code"] : "ERROR",
    message: c["message"],
    details: isObject(c["details"]) ? c["details"] : {},
  };
}

export function errorMessage(err: unknown): string {
  const c = coniferError(err);
  if (c) return c.message;
  if (isObject(err) && typeof err["message"] === "string") {
    const m = err["message"];
    if (/fetch failed|Failed to fetch|NetworkError|Load failed/i.test(m))
      return "Cannot reach the Conifer server. Check that it is running; retrying shortly.";
    if (/Unexpected token|JSON/i.test(m) && /</.test(m))
      return "The server sent an unexpected response (is /trpc served by Conifer?).";
    return m;
  }
  return "Something went wrong.";
}

export function errorCode(err: unknown): string | null {
  return coniferError(err)?.code ?? null;
}
