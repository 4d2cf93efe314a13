/**
 * The ONE table from a ConfigError code to what each edge answers with: the tRPC code, which
 * fixes the HTTP status too (tRPC's own code → status mapping, repeated here so the REST endpoints
 * answer the same number; a test holds the two together), plus the REST body and socket.io ack
 * built from it. tRPC (packages/api), the REST layer and the socket.io gateway (apps/server) all
 * answer from here.
 */
import type { ConfigError, ConfigErrorCode } from "./errors.ts";

/** The HTTP status tRPC gives each of its error codes Conifer answers with (the names are tRPC's). */
const HTTP_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

/** The subset of tRPC's error codes Conifer answers with. */
export type TransportTrpcCode = keyof typeof HTTP_STATUS;

export interface ErrorTransport {
  trpc: TransportTrpcCode;
  http: number;
}

const TRPC_CODE: Readonly<Record<ConfigErrorCode, TransportTrpcCode>> = {
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

export const ERROR_TRANSPORT = Object.fromEntries(
  Object.entries(TRPC_CODE).map(([code, trpc]) => [code, { trpc, http: HTTP_STATUS[trpc] }]),
) as Readonly<Record<ConfigErrorCode, ErrorTransport>>;

/** The REST answer: status and body `{ error: { code, message } }`. */
export function httpError(err: ConfigError): {
  status: number;
  body: { error: { code: ConfigErrorCode; message: string } };
} {
  return { status: ERROR_TRANSPORT[err.code].http, body: { error: { code: err.code, message: err.message } } };
}

/** The socket.io ack of a failed message (the protocol's `Ack` failure). */
export function socketError(err: ConfigError): { ok: false; error: { code: ConfigErrorCode; message: string } } {
  return { ok: false, error: { code: err.code, message: err.message } };
}
