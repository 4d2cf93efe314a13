/**
 * Input checks and conversions shared by the store's operations. Everything invalid becomes a
 * HistoryError("INVALID_ARGUMENT") before it reaches the database.
 */
import { createHash } from "node:crypto";
import { HistoryError } from "./errors.ts";
import { AUDIT_SOURCES, HISTORY_OPS, HISTORY_SOURCES } from "./types.ts";
import type { AuditSource, ContentEncoding, HistoryOp, HistorySource, TimeInput, ZxidInput } from "./types.ts";

const MAX_ZXID = (1n << 63n) - 1n;

function invalid(message: string): never {
  throw new HistoryError("INVALID_ARGUMENT", message);
}

export function checkPath(path: unknown, what = "path"): string {
  if (typeof path !== "string" || !path.startsWith("/") || path.includes("\0"))
    invalid(`${what} must be an absolute znode path, got ${JSON.stringify(path)}`);
  return path;
}

export function toZxid(input: ZxidInput, what: string): bigint {
  // callers may be untyped JavaScript: check what actually arrived
  const value: unknown = input;
  let n: bigint;
  if (typeof value === "bigint") n = value;
  else if (typeof value === "string" && /^\d{1,19}$/.test(value)) n = BigInt(value);
  else
    invalid(
      `${what} must be a non-negative 64-bit integer (bigint or decimal string), got ${JSON.stringify(String(value))}`,
    );
  if (n < 0n || n > MAX_ZXID) invalid(`${what} out of range: ${n}`);
  return n;
}

export function toDate(value: TimeInput | undefined, what: string): Date | undefined {
  if (value === undefined) return undefined;
  const d = value instanceof Date ? new Date(value.getTime()) : new Date(value);
  if (Number.isNaN(d.getTime())) invalid(`${what} is not a valid time`);
  return d;
}

export function checkInt(value: unknown, what: string, min: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > 2_147_483_647)
    invalid(`${what} must be an integer >= ${min}, got ${String(value)}`);
  return value;
}

export function checkOp(op: unknown): HistoryOp {
  if (!HISTORY_OPS.includes(op as HistoryOp))
    invalid(`op must be one of ${HISTORY_OPS.join(", ")}, got ${JSON.stringify(op)}`);
  return op as HistoryOp;
}

export function checkSource(source: unknown): HistorySource {
  if (!HISTORY_SOURCES.includes(source as HistorySource))
    invalid(`source must be one of ${HISTORY_SOURCES.join(", ")}, got ${JSON.stringify(source)}`);
  return source as HistorySource;
}

export function checkAuditSource(source: unknown): AuditSource {
  if (!AUDIT_SOURCES.includes(source as AuditSource))
    invalid(`source must be one of ${AUDIT_SOURCES.join(", ")}, got ${JSON.stringify(source)}`);
  return source as AuditSource;
}

export function checkText(value: unknown, what: string, { allowEmpty = false } = {}): string {
  if (typeof value !== "string" || (!allowEmpty && value.length === 0))
    invalid(`${what} must be a ${allowEmpty ? "" : "non-empty "}string`);
  return value;
}

export function checkEncoding(encoding: unknown): ContentEncoding {
  if (encoding === undefined) return "utf8";
  if (encoding !== "utf8" && encoding !== "base64")
    invalid(`encoding must be "utf8" or "base64", got ${JSON.stringify(encoding)}`);
  return encoding;
}

/** The bytes a content string stands for, so hash and size describe the znode data itself. */
export function contentBytes(content: string, encoding: ContentEncoding): Buffer {
  if (encoding === "utf8") return Buffer.from(content, "utf8");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(content) || content.length % 4 !== 0) invalid("content is not valid base64");
  return Buffer.from(content, "base64");
}

/** sha256 hex of the content bytes: how history rows and write intents identify content. */
export function hashBytes(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function checkHash(value: unknown): string {
  if (typeof value !== "string" || !/^[0-9a-f]{64}$/.test(value))
    invalid("contentHash must be a lowercase sha256 hex string");
  return value;
}

export function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return 50;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 500)
    invalid(`limit must be an integer in 1..500, got ${String(limit)}`);
  return limit;
}

/** Row ids are handed out as decimal strings; parse one back. */
export function toRowId(id: unknown, what = "id"): number {
  if (typeof id !== "string" || !/^\d{1,10}$/.test(id) || Number(id) > 2_147_483_647)
    invalid(`${what} must be a row id (decimal string), got ${JSON.stringify(id)}`);
  return Number(id);
}
