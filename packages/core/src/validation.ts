/**
 * Content checks every write goes through before anything reaches the backend: the format
 * implied by the path's suffix must parse, and the bytes must fit the backend's node size.
 */
import { parseContent } from "@conifer/formats";
import { formatOfPath } from "./dto.ts";
import { ConfigError } from "./errors.ts";

export type ValidationResult = { ok: true } | { ok: false; error: { message: string; line: number; column: number } };

export function validateContent(path: string, content: string): ValidationResult {
  const nul = content.indexOf("\u0000");
  if (nul >= 0) {
    // not text in any config format, and PostgreSQL cannot store it in history
    const before = content.slice(0, nul);
    const line = before.split("\n").length;
    const column = nul - before.lastIndexOf("\n");
    return {
      ok: false,
      error: { message: `Invalid content at line ${line}, column ${column}: NUL character`, line, column },
    };
  }
  const format = formatOfPath(path);
  const res = parseContent(format, content);
  if (res.ok) return { ok: true };
  // the formats package already phrases it "Invalid JSON at line 3, column 7: …"
  const { message, line, column } = res.error;
  return { ok: false, error: { message, line, column } };
}

/** Throws TOO_LARGE when `bytes` exceed what the backend takes per node; else returns them. */
export function checkSize(bytes: Buffer, maxDataBytes: number): Buffer {
  if (bytes.length > maxDataBytes) {
    throw new ConfigError(
      "TOO_LARGE",
      `Content is ${bytes.length} bytes; the backend accepts at most ${maxDataBytes} bytes per node`,
      { size: bytes.length, limit: maxDataBytes },
    );
  }
  return bytes;
}

/** Throws INVALID_CONTENT (with line/column) or TOO_LARGE; returns the bytes to write. */
export function checkContent(path: string, content: string, maxDataBytes: number): Buffer {
  if (typeof content !== "string") throw new ConfigError("INVALID_INPUT", "content must be a string");
  const bytes = checkSize(Buffer.from(content, "utf8"), maxDataBytes);
  const v = validateContent(path, content);
  if (!v.ok) {
    throw new ConfigError("INVALID_CONTENT", v.error.message, {
      format: formatOfPath(path),
      line: v.error.line,
      column: v.error.column,
    });
  }
  return bytes;
}
