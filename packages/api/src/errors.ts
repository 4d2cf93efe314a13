/**
 * Where a failure becomes tRPC's answer, from core's one table (ERROR_TRANSPORT): the procedure
 * middleware in trpc.ts turns whatever was thrown into a ConfigError (core's `toConfigError`,
 * the one translation) and that into a TRPCError here; the errorFormatter then puts the
 * ConfigError's body in `data.conifer`, typed for the console's tRPC client.
 */
import { ConfigError, ERROR_TRANSPORT, type ConfigErrorBody } from "@conifer/core";
import { TRPCError } from "@trpc/server";

/** A ConfigError as tRPC's error, its tRPC code (and so its HTTP status) from the table. */
export function toTRPCError(err: ConfigError): TRPCError {
  return new TRPCError({ code: ERROR_TRANSPORT[err.code].trpc, message: err.message, cause: err });
}

/**
 * `data.conifer` of an answer. Errors from procedures carry their ConfigError; tRPC's own
 * refusals before any procedure ran (no such procedure, unparseable request) get the nearest code.
 */
export function errorBody(error: TRPCError): ConfigErrorBody {
  if (error.cause instanceof ConfigError) return error.cause.toBody();
  const message = error.message;
  if (error.code === "NOT_FOUND") return { code: "NOT_FOUND", message, details: {} };
  if (error.code === "BAD_REQUEST" || error.code === "PARSE_ERROR")
    return { code: "INVALID_INPUT", message, details: {} };
  return { code: "INTERNAL", message, details: {} };
}
