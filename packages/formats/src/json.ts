/**
 * JSON with exact error positions. JSON.parse does the parsing; when it fails, a small strict
 * scanner (RFC 8259) walks the text to find where and why, because engines word and position
 * their errors differently (V8's vary across versions and sometimes omit the position; Firefox
 * and Safari use other formats) and the console needs the same answer in every browser.
 */
import { failure, type ParseResult } from "./result.ts";
import { positionAt, stripBom } from "./position.ts";

export function parseJson(input: string): ParseResult {
  const text = stripBom(input);
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const found = locateJsonError(text) ?? fromEngineMessage(text, err);
    const { line, column } = positionAt(text, found.offset);
    return failure("json", found.reason, line, column);
  }
}

interface Located {
  offset: number;
  reason: string;
}

const WS = new Set([" ", "\t", "\n", "\r"]);

/** Finds the first syntax error in `text`, or null when it is valid JSON. Iterative: no recursion limit. */
export function locateJsonError(text: string): Located | null {
  let i = 0;
  const stack: ("{" | "[")[] = [];
  const n = text.length;
  const skip = () => {
    while (i < n && WS.has(text.charAt(i))) i++;
  };
  const unexpected = (expected: string): Located => {
    if (i >= n) return { offset: n, reason: `Unexpected end of input, expected ${expected}` };
    return { offset: i, reason: `Unexpected token ${tokenAt(text, i)}, expected ${expected}` };
  };

  type State = "value" | "after" | "key";
  let state: State = "value";
  for (;;) {
    skip();
    if (state === "value") {
      const c = text[i];
      if (c === "{" || c === "[") {
        // an opened container: empty, it is a whole value; else a key (object) or a value (array) follows
        stack.push(c);
        i++;
        skip();
        if (text[i] === (c === "{" ? "}" : "]")) {
          stack.pop();
          i++;
          state = "after";
        } else if (c === "{") state = "key";
        continue;
      }
      const scalar =
        c === '"'
          ? scanString(text, i)
          : c !== undefined && (c === "-" || (c >= "0" && c <= "9"))
            ? scanNumber(text, i)
            : scanLiteral(text, i);
      if (scalar === null) return unexpected("a value");
      if (typeof scalar !== "number") return scalar;
      i = scalar;
      state = "after";
      continue;
    }
    if (state === "key") {
      if (text[i] !== '"') return unexpected("a property name in double quotes");
      const end = scanString(text, i);
      if (typeof end !== "number") return end;
      i = end;
      skip();
      if (text[i] !== ":") return unexpected("':' after the property name");
      i++;
      state = "value";
      continue;
    }
    // state === "after": a complete value was read
    const top = stack[stack.length - 1];
    if (top === undefined)
      return i >= n
        ? null
        : { offset: i, reason: `Unexpected token ${tokenAt(text, i)} after the end of the JSON value` };
    const close = top === "{" ? "}" : "]";
    if (text[i] === ",") {
      i++;
      state = top === "{" ? "key" : "value";
      if (top === "[") {
        skip();
        if (text[i] === "]")
          return { offset: i, reason: "Unexpected token ], expected a value (trailing commas are not allowed)" };
      } else {
        skip();
        if (text[i] === "}")
          return {
            offset: i,
            reason: "Unexpected token }, expected a property name (trailing commas are not allowed)",
          };
      }
      continue;
    }
    if (text[i] === close) {
      stack.pop();
      i++;
      continue;
    }
    return unexpected(`',' or '${close}'`);
  }
}

/** A readable rendering of the token at i: a whole word for letters, one character otherwise. */
function tokenAt(text: string, i: number): string {
  const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(i, i + 40));
  if (word) return word[0];
  const cp = text.codePointAt(i) ?? 0; // i is in range: callers point at a character
  if (cp < 0x20 || cp === 0x7f) return `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  const ch = String.fromCodePoint(cp);
  return ch === "," || ch === ":" ? `'${ch}'` : ch; // quoted where the bare sign would read as punctuation
}

/** Returns the offset after the closing quote, or the error. */
function scanString(text: string, start: number): number | Located {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) return i + 1;
    if (c < 0x20)
      return {
        offset: i,
        reason:
          c === 10 || c === 13
            ? "Unterminated string (line break inside a string)"
            : `Bad control character ${tokenAt(text, i)} in string`,
      };
    if (c === 92 /* \ */) {
      const e = text[i + 1];
      if (e === "u") {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex))
          return { offset: i, reason: `Bad Unicode escape \\u${hex.replace(/[^0-9a-fA-F].*$/s, "")}` };
        i += 6;
        continue;
      }
      if (e === undefined) break;
      if (!'"\\/bfnrt'.includes(e)) return { offset: i, reason: `Bad escape sequence \\${e}` };
      i += 2;
      continue;
    }
    i++;
  }
  return { offset: start, reason: "Unterminated string" };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function scanNumber(text: string, start: number): number | Located {
  NUMBER.lastIndex = start;
  const m = NUMBER.exec(text);
  if (!m) return { offset: start + 1, reason: "Invalid number: expected a digit after '-'" };
  const end = start + m[0].length;
  const next = text[end];
  if (next === ".") return { offset: end + 1, reason: "Invalid number: expected a digit after '.'" };
  if (next === "e" || next === "E") {
    const sign = text[end + 1] === "+" || text[end + 1] === "-" ? 1 : 0;
    return { offset: end + 1 + sign, reason: "Invalid number: expected a digit in the exponent" };
  }
  return end;
}

function scanLiteral(text: string, start: number): number | null {
  for (const word of ["true", "false", "null"]) if (text.startsWith(word, start)) return start + word.length;
  return null;
}

/** Last resort if the scanner accepts what the engine refused: read a position from the engine's message. */
function fromEngineMessage(text: string, err: unknown): Located {
  const message = err instanceof Error ? err.message : String(err);
  const lineCol = /line (\d+) column (\d+)/i.exec(message);
  let offset = text.length;
  if (lineCol) {
    const lines = text.split(/\r\n|\r|\n/);
    offset = lines.slice(0, Number(lineCol[1]) - 1).reduce((sum, l) => sum + l.length + 1, 0) + Number(lineCol[2]) - 1;
  } else {
    const pos = /position (\d+)/i.exec(message);
    if (pos) offset = Number(pos[1]);
  }
  const reason = message
    .replace(/^JSON\.parse: /, "")
    .replace(/ in JSON at position \d+.*$/s, "")
    .replace(/ at line \d+ column \d+ of the JSON data$/, "");
  return { offset, reason };
}
