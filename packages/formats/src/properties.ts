/**
 * Java `.properties` files, parsed as java.util.Properties.load does: `key=value`, `key: value`
 * or `key value`; `#` and `!` comment lines; a line ending in an odd number of backslashes
 * continues on the next line (whose leading whitespace is dropped); escapes \t \n \r \f,
 * \uXXXX and `\x` → `x` (so `\=`, `\:` and `\ ` put separators into keys). Later keys win.
 * Unlike Java we report a malformed \uXXXX escape with its line and column instead of throwing.
 */
import { positionAt, stripBom } from "./position.ts";
import { failure, type ParseResult } from "./result.ts";

const isWs = (c: string | undefined) => c === " " || c === "\t" || c === "\f";

interface LogicalLine {
  chars: string[];
  /** Offset in the source text of each char, for error positions. */
  offsets: number[];
  /** The source text of the entry is text[start, end): its natural lines with their line breaks. */
  start: number;
  end: number;
}

class MalformedEscape extends Error {
  constructor(
    readonly offset: number,
    readonly escape: string,
  ) {
    super(`Malformed \\uXXXX escape "${escape}"`);
  }
}

export function parseProperties(input: string): ParseResult {
  const text = stripBom(input);
  const result: Record<string, string> = {};
  try {
    for (const line of logicalLines(text)) {
      const [key, value] = splitKeyValue(line);
      // defineProperty: a key named "__proto__" must become a plain entry, not a prototype.
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
    }
  } catch (err) {
    if (!(err instanceof MalformedEscape)) throw err;
    const { line, column } = positionAt(text, err.offset);
    return failure("properties", err.message, line, column);
  }
  return { ok: true, value: result };
}

/** Each entry's key and where its source text is (comments and blank lines are between entries). */
export function propertyEntries(input: string): { key: string; start: number; end: number }[] {
  const text = stripBom(input);
  const shift = input.length - text.length;
  return [...logicalLines(text)].map((line) => ({
    key: splitKeyValue(line)[0],
    start: line.start + shift,
    end: Math.min(line.end, text.length) + shift,
  }));
}

/** Natural lines as [start, end, next]: text[start, end) is the line, `next` starts the following one. */
function* naturalLines(text: string): Generator<[number, number, number]> {
  let pos = 0;
  while (pos < text.length) {
    let end = pos;
    while (end < text.length && text[end] !== "\n" && text[end] !== "\r") end++;
    const next = text[end] === "\r" && text[end + 1] === "\n" ? end + 2 : end + 1;
    yield [pos, end, next];
    pos = next;
  }
}

function* logicalLines(text: string): Generator<LogicalLine> {
  const lines = naturalLines(text);
  for (let item = lines.next(); !item.done; item = lines.next()) {
    let [start, end] = item.value;
    const lineStart = start;
    while (start < end && isWs(text[start])) start++;
    if (start === end || text[start] === "#" || text[start] === "!") continue; // blank or comment
    const logical: LogicalLine = { chars: [], offsets: [], start: lineStart, end: item.value[2] };
    for (;;) {
      for (let i = start; i < end; i++) {
        logical.chars.push(text.charAt(i));
        logical.offsets.push(i);
      }
      if (!endsWithOddBackslashes(logical.chars)) break;
      logical.chars.pop();
      logical.offsets.pop();
      const cont = lines.next();
      if (cont.done) break;
      [start, end] = cont.value;
      logical.end = cont.value[2];
      while (start < end && isWs(text[start])) start++; // continuation lines are never comments
    }
    yield logical;
  }
}

function endsWithOddBackslashes(chars: string[]): boolean {
  let count = 0;
  for (let i = chars.length - 1; i >= 0 && chars[i] === "\\"; i--) count++;
  return count % 2 === 1;
}

function splitKeyValue({ chars, offsets }: LogicalLine): [string, string] {
  const limit = chars.length;
  let keyLen = 0;
  let valueStart = limit;
  let hasSep = false;
  let escaped = false;
  while (keyLen < limit) {
    const c = chars[keyLen] ?? "";
    if ((c === "=" || c === ":") && !escaped) {
      valueStart = keyLen + 1;
      hasSep = true;
      break;
    }
    if (isWs(c) && !escaped) {
      valueStart = keyLen + 1;
      break;
    }
    escaped = c === "\\" ? !escaped : false;
    keyLen++;
  }
  while (valueStart < limit) {
    const c = chars[valueStart] ?? "";
    if (!isWs(c)) {
      if (!hasSep && (c === "=" || c === ":")) hasSep = true;
      else break;
    }
    valueStart++;
  }
  return [unescape(chars, offsets, 0, keyLen), unescape(chars, offsets, valueStart, limit)];
}

const SIMPLE_ESCAPES: Record<string, string> = { t: "\t", n: "\n", r: "\r", f: "\f" };

function unescape(chars: string[], offsets: number[], from: number, to: number): string {
  let out = "";
  for (let i = from; i < to; i++) {
    const c = chars[i] ?? "";
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = chars[++i];
    if (e === undefined || i >= to) break;
    if (e === "u") {
      const hex = chars.slice(i + 1, Math.min(i + 5, to)).join("");
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new MalformedEscape(offsets[i - 1] ?? 0, `\\u${hex}`);
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
      continue;
    }
    out += SIMPLE_ESCAPES[e] ?? e;
  }
  return out;
}
