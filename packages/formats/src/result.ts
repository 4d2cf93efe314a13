/** The shape every parser returns: a value, or one error with a human-readable message and position. */
import type { Format } from "./format.ts";
import { FORMAT_LABEL } from "./format.ts";

export interface ParseError {
  /** Full sentence, e.g. "Invalid JSON at line 3, column 7: Unexpected token }". */
  message: string;
  /** The reason alone, e.g. "Unexpected token }". */
  reason: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

export type ParseResult = { ok: true; value: unknown } | { ok: false; error: ParseError };

export function failure(
  format: Format,
  reason: string,
  line: number,
  column: number,
): { ok: false; error: ParseError } {
  return {
    ok: false,
    error: {
      message: `Invalid ${FORMAT_LABEL[format]} at line ${line}, column ${column}: ${reason}`,
      reason,
      line,
      column,
    },
  };
}
