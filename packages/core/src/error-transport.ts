/**
 * The ONE table from a ConfigError code to what each edge answers with: the tRPC code (which
 * fixes tRPC's HTTP status too) and the HTTP status of the REST endpoints (the same number; a test
 * holds the two columns together), plus the REST body and socket.io ack built from it. tRPC
 * (packages/api), the REST layer and the socket.io gateway (apps/server) all answer from here.
 */
import type { ConfigError, ConfigErrorCode } from "./errors.ts";

/** The subset of tRPC's error codes Conifer answers with (the names are tRPC's). */
export type TransportTrpcCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "PAYLOAD_TOO_LARGE"
  | "TOO_MANY_REQUESTS"
  | "INTERNAL_SERVER_ERROR"
  | "SERVICE_UNAVAILABLE";

export interface ErrorTransport {
  trpc: TransportTrpcCode;
  http: number;
}

export const ERROR_TRANSPORT: Readonly<Record<ConfigErrorCode, ErrorTransport>> = {
  NOT_FOUND: { trpc: "NOT_FOUND", http: 404 },
  ALREADY_EXISTS: { trpc: "CONFLICT", http: 409 },
  CONFLICT: { trpc: "CONFLICT", http: 409 },
  INVALID_CONTENT: { trpc: "BAD_REQUEST", http: 400 },
  INVALID_PATH: { trpc: "BAD_REQUEST", http: 400 },
  INVALID_INPUT: { trpc: "BAD_REQUEST", http: 400 },
  TOO_LARGE: { trpc: "PAYLOAD_TOO_LARGE", http: 413 },
  NOT_EMPTY: { trpc: "PRECONDITION_FAILED", http: 412 },
  FORBIDDEN: { trpc: "FORBIDDEN", http: 403 },
  UNAUTHENTICATED: { trpc: "UNAUTHORIZED", http: 401 },
  RATE_LIMITED: { trpc: "TOO_MANY_REQUESTS", http: 429 },
  BACKEND_UNAVAILABLE: { trpc: "SERVICE_UNAVAILABLE", http: 503 },
  INTERNAL: { trpc: "INTERNAL_SERVER_ERROR", http: 500 },
};

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
