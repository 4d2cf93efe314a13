/**
 * The CLI's one typed error and its closed set of exit codes. Scripts branch on the exit code, so
 * each server failure is mapped here, in one place, from its HTTP status and Conifer error code.
 */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  auth: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.error,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** The error body every /api/v1 answer shares. */
export interface ApiErrorBody {
  error?: { code?: string; message?: string; details?: Record<string, unknown> };
}

/** Exit code for a failed answer: the Conifer code decides first, the HTTP status otherwise. */
export function exitCodeFor(status: number, code?: string): ExitCode {
  if (code === "NOT_FOUND" || status === 404) return EXIT.notFound;
  if (code === "CONFLICT" || code === "BAD_VERSION" || code === "ALREADY_EXISTS" || status === 409 || status === 412)
    return EXIT.conflict;
  if (code === "UNAUTHENTICATED" || code === "FORBIDDEN" || status === 401 || status === 403) return EXIT.auth;
  return EXIT.error;
}

/** One line: the server's code and message, plus where invalid content broke or the current version. */
export function apiError(status: number, body: ApiErrorBody | undefined): CliError {
  const e = body?.error;
  const code = e?.code ?? `HTTP ${status}`;
  let message = `${code}: ${e?.message ?? "the server gave no message"}`;
  const d = e?.details;
  // the server's own message often says where already; said once is enough
  if (d && typeof d["line"] === "number" && !message.includes(`line ${d["line"]}`))
    message += ` (line ${d["line"]}${typeof d["column"] === "number" ? `, column ${d["column"]}` : ""})`;
  if (d && typeof d["currentVersion"] === "number") message += ` (current version ${d["currentVersion"]})`;
  return new CliError(message, exitCodeFor(status, e?.code));
}
