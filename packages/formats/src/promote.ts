/**
 * Field-level promote between environments: the target document with the selected fields taken
 * from the source and every other field of the target kept. A selected field the source does
 * not have is removed from the target (it was removed upstream). With `keepTargetOverrides`,
 * fields the target already has keep the target's value (an intentional per-environment
 * override) and only fields it lacks are added; the empty path selects the whole document.
 *
 * The new content is computed on parsed values, then written in the target's format: YAML and
 * .properties by editing the target text in place (comments, order and quoting kept),
 * JSON and TOML by serializing again (JSON keeps its key order and indentation; TOML's library
 * has no document model, so its comments are not kept: `rewritten` says so). Whatever the
 * format, the written text is parsed back and must equal the computed value, so a promote never
 * loses a field silently: it fails with a typed error and the target is untouched.
 */
import { stringify as stringifyToml } from "smol-toml";
import { diffValues, type FieldDiff } from "./field-diff.ts";
import { formatFieldPath, type FieldPath } from "./field-path.ts";
import type { Format } from "./format.ts";
import { parseContent } from "./parse.ts";
import { promoteProperties } from "./promote-properties.ts";
import { promoteYaml } from "./promote-yaml.ts";
import type { ParseError } from "./result.ts";
import { copyValue, fieldOf, hasField, isContainer, isTable, sameValue, setOwn, type Container } from "./values.ts";

export interface PromoteInput {
  source: string;
  target: string;
  /** the fields to take from the source; [] (the empty path) is the whole document */
  fields: readonly FieldPath[];
  keepTargetOverrides?: boolean;
}

export type PromoteErrorCode =
  /** the source or the target does not parse (`side`, `parse`) */
  | "MALFORMED"
  /** plain text has no fields */
  | "UNSUPPORTED_FORMAT"
  /** the field cannot be placed in the target without replacing something not selected (`path`) */
  | "FIELD_SHAPE"
  /** the target's format could not express the result exactly (e.g. a YAML alias in the way) */
  | "NOT_PRESERVED";

export interface PromoteError {
  code: PromoteErrorCode;
  message: string;
  side?: "source" | "target";
  parse?: ParseError;
  path?: FieldPath;
}

export interface PromoteEdit {
  kind: "set" | "add" | "remove";
  path: FieldPath;
  key: string;
}

export type PromoteResult =
  { ok: true; text: string; edits: PromoteEdit[]; rewritten: boolean } | { ok: false; error: PromoteError };

/** What a format-specific writer is given: the edits already computed on values. */
export interface WriteInput {
  source: string;
  target: string;
  desired: unknown;
  diff: FieldDiff;
}

class Refused extends Error {
  constructor(readonly error: PromoteError) {
    super(error.message);
  }
}

export function promoteFields(format: Format, input: PromoteInput): PromoteResult {
  if (format === "text") {
    return fail({ code: "UNSUPPORTED_FORMAT", message: "Plain text has no fields; promote the whole key instead" });
  }
  const source = parseContent(format, input.source);
  if (!source.ok) return malformed("source", source.error);
  const target = parseContent(format, input.target);
  if (!target.ok) return malformed("target", target.error);
  try {
    const desired = desiredValue(format, source.value, target.value, input.fields, input.keepTargetOverrides === true);
    const diff = diffValues(target.value, desired, format);
    const edits: PromoteEdit[] = [
      ...diff.differing.map((d) => ({ kind: "set" as const, path: d.path, key: d.key })),
      ...diff.onlyLeft.map((d) => ({ kind: "remove" as const, path: d.path, key: d.key })),
      ...diff.onlyRight.map((d) => ({ kind: "add" as const, path: d.path, key: d.key })),
    ];
    if (edits.length === 0) return { ok: true, text: input.target, edits, rewritten: false };
    const write: WriteInput = { source: input.source, target: input.target, desired, diff };
    const { text, rewritten } = writeFormat(format, write);
    const check = parseContent(format, text);
    if (!check.ok || !sameValue(check.value, desired)) {
      return fail({
        code: "NOT_PRESERVED",
        message: `The result could not be written as ${format} without changing other fields`,
      });
    }
    return { ok: true, text, edits, rewritten };
  } catch (err) {
    if (err instanceof Refused) return fail(err.error);
    throw err;
  }
}

function writeFormat(format: Exclude<Format, "text">, w: WriteInput): { text: string; rewritten: boolean } {
  switch (format) {
    case "yaml":
      return { text: refuseOnError(promoteYaml(w)), rewritten: false };
    case "properties":
      return { text: promoteProperties(w), rewritten: false };
    case "json":
      return { text: writeJson(w.target, w.desired), rewritten: true };
    case "toml":
      if (!isTable(w.desired)) throw new Refused({ code: "NOT_PRESERVED", message: "A TOML document must be a table" });
      return { text: stringifyToml(w.desired) + "\n", rewritten: true };
  }
}

function refuseOnError(r: string | PromoteError): string {
  if (typeof r === "string") return r;
  throw new Refused(r);
}

/** JSON serialized again in the target's own indentation, line ending and final newline. */
function writeJson(target: string, value: unknown): string {
  const indent = /\n([ \t]+)\S/.exec(target)?.[1] ?? (target.trim().includes("\n") ? "  " : "");
  const eol = target.includes("\r\n") ? "\r\n" : "\n";
  let text = JSON.stringify(value, null, indent);
  if (eol !== "\n") text = text.replace(/\n/g, eol);
  const bom = target.charCodeAt(0) === 0xfeff ? "\ufeff" : "";
  return bom + text + (/\r?\n$/.test(target) ? eol : "");
}

/** The target's value with the selection applied: sets (ascending) before removals (descending indexes). */
function desiredValue(
  format: Format,
  source: unknown,
  target: unknown,
  fields: readonly FieldPath[],
  keep: boolean,
): unknown {
  let doc = copyValue(target);
  const removals: FieldPath[] = [];
  for (const path of fields) {
    const found = lookup(source, path);
    if (!found.found) {
      if (!keep) removals.push(path);
      continue;
    }
    doc = keep ? mergeAt(format, doc, path, found.value) : setAt(format, doc, path, copyValue(found.value));
  }
  removals.sort((a, b) => comparePaths(b, a));
  for (const path of removals) removeAt(doc, path);
  return doc;
}

function lookup(root: unknown, path: FieldPath): { found: true; value: unknown } | { found: false } {
  let cur = root;
  for (const seg of path) {
    if (!isContainer(cur) || !hasField(cur, seg)) return { found: false };
    cur = fieldOf(cur, seg);
  }
  return { found: true, value: cur };
}

/** Sets `value` at `path`, creating missing parents; refuses to replace a non-container or to leave a hole. */
function setAt(format: Format, root: unknown, path: FieldPath, value: unknown): unknown {
  if (path.length === 0) return value;
  // an empty YAML document is null: it takes fields like an empty table
  if (root === null) root = typeof path[0] === "number" ? [] : {};
  let cur = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as string | number;
    const here = path.slice(0, i);
    if (!isContainer(cur) || Array.isArray(cur) !== (typeof seg === "number")) {
      throw shape(format, here, `is not ${typeof seg === "number" ? "a list" : "a table"} in the target`);
    }
    const last = i === path.length - 1;
    if (Array.isArray(cur)) {
      const idx = seg as number;
      if (idx > cur.length) throw shape(format, path, `is past the end of the target's list (${cur.length} items)`);
      if (last) {
        cur[idx] = value;
        return root;
      }
      if (idx === cur.length) cur.push(typeof path[i + 1] === "number" ? [] : {});
      cur = cur[idx];
    } else {
      const key = seg as string;
      if (last) {
        setOwn(cur, key, value);
        return root;
      }
      if (!Object.hasOwn(cur, key)) setOwn(cur, key, typeof path[i + 1] === "number" ? [] : {});
      cur = cur[key];
    }
  }
  return root;
}

/** Adds what the target lacks under `path`; what it has (an override) stays as it is. */
function mergeAt(format: Format, root: unknown, path: FieldPath, value: unknown): unknown {
  const existing = lookup(root, path);
  if (!existing.found) return setAt(format, root, path, copyValue(value));
  mergeInto(existing.value, value);
  return root;
}

function mergeInto(target: unknown, source: unknown): void {
  if (!isTable(target) || !isTable(source)) return; // a scalar or a list is overridden as a whole
  for (const k of Object.keys(source)) {
    if (!Object.hasOwn(target, k)) setOwn(target, k, copyValue(source[k]));
    else mergeInto(target[k], source[k]);
  }
}

function removeAt(root: unknown, path: FieldPath): void {
  const parent = lookup(root, path.slice(0, -1));
  const seg = path[path.length - 1];
  if (seg === undefined || !parent.found || !isContainer(parent.value)) return;
  const c: Container = parent.value;
  if (!hasField(c, seg)) return;
  if (Array.isArray(c)) c.splice(seg as number, 1);
  else Reflect.deleteProperty(c, seg);
}

/** Order of paths: by segment, indexes numerically; a prefix first. */
function comparePaths(a: FieldPath, b: FieldPath): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}

function shape(format: Format, path: FieldPath, what: string): Refused {
  const where = path.length === 0 ? "The document" : formatFieldPath(path, format);
  return new Refused({ code: "FIELD_SHAPE", message: `${where} ${what}; promote its parent instead`, path });
}

function malformed(side: "source" | "target", parse: ParseError): PromoteResult {
  return fail({ code: "MALFORMED", message: `The ${side} document is invalid: ${parse.message}`, side, parse });
}

function fail(error: PromoteError): PromoteResult {
  return { ok: false, error };
}
