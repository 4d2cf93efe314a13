/**
 * Structure-aware diff of two documents of one format, for comparing environments: which fields
 * only the left has, only the right has, and which differ (with both values). Objects recurse by
 * key and arrays by index, so a change deep inside `servers[2].tls` is reported there and not as
 * "servers differs". A field whose type changed (a table on one side, a scalar on the other) is
 * one difference at that path. Plain text, and a document that does not parse, fall back to the
 * line diff, with the parse errors saying why.
 */
import { diffText, type TextDiff } from "./diff.ts";
import { formatFieldPath, type FieldPath } from "./field-path.ts";
import type { Format } from "./format.ts";
import { parseContent } from "./parse.ts";
import type { ParseError } from "./result.ts";
import { isTable, sameValue } from "./values.ts";

export interface FieldEntry {
  path: FieldPath;
  /** the display form of `path` (field-path.ts) */
  key: string;
  value: unknown;
}

export interface FieldChange {
  path: FieldPath;
  key: string;
  left: unknown;
  right: unknown;
}

export interface FieldDiff {
  onlyLeft: FieldEntry[];
  onlyRight: FieldEntry[];
  differing: FieldChange[];
}

export type DocumentDiff =
  | ({ kind: "fields"; format: Format; equal: boolean } & FieldDiff)
  | {
      kind: "lines";
      format: Format;
      equal: boolean;
      /** "text": the format has no fields; "malformed": a side did not parse (see `errors`) */
      reason: "text" | "malformed";
      errors?: { left?: ParseError; right?: ParseError };
      lines: TextDiff;
    };

/**
 * The field diff of two parsed values. `equal` in a DocumentDiff means the values are the same,
 * even when the texts differ (comments, layout, key order).
 */
export function diffValues(left: unknown, right: unknown, format: Format): FieldDiff {
  const out: FieldDiff = { onlyLeft: [], onlyRight: [], differing: [] };
  const walk = (l: unknown, r: unknown, path: (string | number)[]): void => {
    if (sameValue(l, r)) return;
    if (Array.isArray(l) && Array.isArray(r)) {
      for (let i = 0; i < Math.max(l.length, r.length); i++) {
        const p = [...path, i];
        if (i >= r.length) out.onlyLeft.push({ path: p, key: formatFieldPath(p, format), value: l[i] });
        else if (i >= l.length) out.onlyRight.push({ path: p, key: formatFieldPath(p, format), value: r[i] });
        else walk(l[i], r[i], p);
      }
      return;
    }
    if (isTable(l) && isTable(r)) {
      for (const k of Object.keys(l)) {
        const p = [...path, k];
        if (!Object.hasOwn(r, k)) out.onlyLeft.push({ path: p, key: formatFieldPath(p, format), value: l[k] });
        else walk(l[k], r[k], p);
      }
      for (const k of Object.keys(r)) {
        const p = [...path, k];
        if (!Object.hasOwn(l, k)) out.onlyRight.push({ path: p, key: formatFieldPath(p, format), value: r[k] });
      }
      return;
    }
    out.differing.push({ path, key: formatFieldPath(path, format), left: l, right: r });
  };
  walk(left, right, []);
  return out;
}

/** Diffs two documents of `format`: by field when both parse and the format has fields, else by line. */
export function diffDocuments(format: Format, left: string, right: string): DocumentDiff {
  if (format === "text")
    return { kind: "lines", format, equal: left === right, reason: "text", lines: diffText(left, right) };
  const l = parseContent(format, left);
  const r = parseContent(format, right);
  if (!l.ok || !r.ok) {
    const errors: { left?: ParseError; right?: ParseError } = {};
    if (!l.ok) errors.left = l.error;
    if (!r.ok) errors.right = r.error;
    return { kind: "lines", format, equal: left === right, reason: "malformed", errors, lines: diffText(left, right) };
  }
  const diff = diffValues(l.value, r.value, format);
  const equal = diff.onlyLeft.length === 0 && diff.onlyRight.length === 0 && diff.differing.length === 0;
  return { kind: "fields", format, equal, ...diff };
}
