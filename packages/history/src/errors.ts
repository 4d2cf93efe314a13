/**
 * The one typed error of the history store. A closed set of codes, so the API layer can map
 * them to tRPC/HTTP codes in one place; Prisma and driver errors never leak out as such.
 */

export const HISTORY_ERROR_CODES = [
  "INVALID_URL", // the database URL names no supported provider
  "INVALID_ARGUMENT", // an input failed validation (path, zxid, op, source, id...)
  "INVALID_CURSOR", // a pagination cursor that this store did not hand out
  "NOT_FOUND", // an intent id that does not exist
  "MIGRATION_FAILED", // the schema could not be brought up to date when opening
  "UNAVAILABLE", // the database cannot be reached
  "CLOSED", // the store was closed
  "INTERNAL", // anything else the database reported
] as const;

export type HistoryErrorCode = (typeof HISTORY_ERROR_CODES)[number];

export class HistoryError extends Error {
  override readonly name = "HistoryError";
  constructor(
    readonly code: HistoryErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isHistoryError(err: unknown, code?: HistoryErrorCode): err is HistoryError {
  return err instanceof HistoryError && (code === undefined || err.code === code);
}

const UNAVAILABLE_HINTS = [
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "P1001",
  "P1002",
  "P1017",
];

// A raw query (`$queryRaw`, hot-reads.ts) reports every driver failure as P2010 "Raw query failed";
// the driver adapter's own verdict stays in meta.driverAdapterError.cause.kind. These two kinds are
// what model queries report as P1001 and P1017, so both paths give UNAVAILABLE.
const UNAVAILABLE_KINDS = ["DatabaseNotReachable", "ConnectionClosed"];

function adapterErrorKind(err: unknown): unknown {
  return (err as { meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } } | null)?.meta?.driverAdapterError
    ?.cause?.kind;
}

/** Turns whatever a database call threw into a HistoryError (kept as is when it already is one). */
export function toHistoryError(err: unknown, what: string): HistoryError {
  if (err instanceof HistoryError) return err;
  const text = describe(err);
  const unavailable =
    UNAVAILABLE_HINTS.some((hint) => text.includes(hint)) ||
    UNAVAILABLE_KINDS.includes(adapterErrorKind(err) as string);
  const code: HistoryErrorCode = unavailable ? "UNAVAILABLE" : "INTERNAL";
  return new HistoryError(code, `${what} failed: ${text}`, { cause: err });
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === "string" && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
  }
  return String(err);
}

/** True for a unique-constraint violation reported by Prisma (P2002), whichever the provider. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "P2002";
}
