/**
 * The ONE place where errors become tRPC errors. Domain errors (ConfigError), backend errors
 * (CoordinatorError) and input validation failures all leave the API as a TRPCError whose
 * `data.conifer = { code, message, details }` is what the console shows and what scripts branch on.
 */
import { ConfigError, fromCoordinator, fromHistory, type ConfigErrorCode } from "@conifer/core";
import { CoordinatorError } from "@conifer/coordinator";
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";

type TRPCCode = TRPCError["code"];

export const TRPC_CODE: Record<ConfigErrorCode, TRPCCode> = {
  NOT_FOUND: "NOT_FOUND",
  ALREADY_EXISTS: "CONFLICT",
  CONFLICT: "CONFLICT",
  INVALID_CONTENT: "BAD_REQUEST",
  INVALID_PATH: "BAD_REQUEST",
  INVALID_INPUT: "BAD_REQUEST",
  TOO_LARGE: "PAYLOAD_TOO_LARGE",
  NOT_EMPTY: "PRECONDITION_FAILED",
  FORBIDDEN: "FORBIDDEN",
  UNAUTHENTICATED: "UNAUTHORIZED",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  BACKEND_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

export interface ConiferErrorData {
  code: ConfigErrorCode;
  message: string;
  details: Record<string, unknown>;
}

/** Any thrown value → the ConfigError it means (unknown failures become INTERNAL). */
export function toConfigError(err: unknown): ConfigError {
  if (err instanceof ConfigError) return err;
  if (err instanceof CoordinatorError) return fromCoordinator(err) as ConfigError;
  const fromStore = fromHistory(err);
  if (fromStore instanceof ConfigError) return fromStore;
  if (err instanceof ZodError) {
    const first = err.issues[0];
    const where = first?.path.length ? `${first.path.join(".")}: ` : "";
    const msg = `${where}${first?.message ?? "invalid input"}`;
    const pathIssue = first?.path[0] === "path" || first?.path[0] === "under";
    return new ConfigError(
      pathIssue ? "INVALID_PATH" : "INVALID_INPUT",
      pathIssue ? `Invalid path: ${msg}` : `Invalid input: ${msg}`,
      {
        ...(pathIssue ? { reason: first?.message } : {}),
        issues: err.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
      },
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ConfigError("INTERNAL", `Internal error: ${message}`, {}, { cause: err });
}

/** Wraps a domain failure for tRPC; the formatter below turns it into `data.conifer`. */
export function toTRPCError(err: unknown): TRPCError {
  if (err instanceof TRPCError && !(err.cause instanceof ZodError)) return err;
  const ce = toConfigError(err instanceof TRPCError ? err.cause : err);
  return new TRPCError({ code: TRPC_CODE[ce.code], message: ce.message, cause: ce });
}

/** For `errorFormatter`: the conifer payload of an error that went through toTRPCError (or not). */
export function coniferData(error: TRPCError): ConiferErrorData {
  const cause = error.cause;
  if (cause instanceof ConfigError) return { code: cause.code, message: cause.message, details: cause.details };
  if (cause instanceof ZodError || cause instanceof CoordinatorError) {
    const ce = toConfigError(cause);
    return { code: ce.code, message: ce.message, details: ce.details };
  }
  const code: ConfigErrorCode =
    error.code === "NOT_FOUND"
      ? "NOT_FOUND"
      : error.code === "BAD_REQUEST" || error.code === "PARSE_ERROR"
        ? "INVALID_INPUT"
        : "INTERNAL";
  return { code, message: error.message, details: {} };
}
