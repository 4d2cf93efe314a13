/** Unit tests of JSON parsing: exact error positions and messages, and agreement with JSON.parse. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { locateJsonError, parseJson } from "./json.ts";

function errorOf(text: string) {
  const r = parseJson(text);
  if (r.ok) throw new Error(`expected ${JSON.stringify(text)} to be invalid`);
  return r.error;
}

describe("parseJson", () => {
  it("parses valid JSON, including a leading BOM", () => {
    expect(parseJson('{"a": [1, 2.5e3, "x\\u00e9", true, null]}')).toEqual({
      ok: true,
      value: { a: [1, 2500, "xé", true, null] },
    });
    expect(parseJson("\uFEFF[1]")).toEqual({ ok: true, value: [1] });
    expect(parseJson("  42  ")).toEqual({ ok: true, value: 42 });
  });

  it("reports the contract's example with exact line and column", () => {
    const e = errorOf('{\n  "a": 1,\n  "b": }\n');
    expect(e).toMatchObject({ line: 3, column: 8 });
    expect(e.message).toBe("Invalid JSON at line 3, column 8: Unexpected token }, expected a value");
    expect(e.reason).toBe("Unexpected token }, expected a value");
  });

  it.each([
    ['{"a": 1,}', 1, 9, "Unexpected token }, expected a property name (trailing commas are not allowed)"],
    ["[1,2,]", 1, 6, "Unexpected token ], expected a value (trailing commas are not allowed)"],
    ["", 1, 1, "Unexpected end of input, expected a value"],
    ["{\n", 2, 1, "Unexpected end of input, expected a property name in double quotes"],
    ['{"a" 1}', 1, 6, "Unexpected token 1, expected ':' after the property name"],
    ["{a: 1}", 1, 2, "Unexpected token a, expected a property name in double quotes"],
    ["{'a': 1}", 1, 2, "Unexpected token ', expected a property name in double quotes"],
    ['{"a": undefined}', 1, 7, "Unexpected token undefined, expected a value"],
    ['{"a": 1 "b": 2}', 1, 9, "Unexpected token \", expected ',' or '}'"],
    ["[1 2]", 1, 4, "Unexpected token 2, expected ',' or ']'"],
    ["[,1]", 1, 2, "Unexpected token ',', expected a value"],
    ['{"a"::1}', 1, 6, "Unexpected token ':', expected a value"],
    ['{"a":1} x', 1, 9, "Unexpected token x after the end of the JSON value"],
    ["01", 1, 2, "Unexpected token 1 after the end of the JSON value"],
    ["-x", 1, 2, "Invalid number: expected a digit after '-'"],
    ["[1.]", 1, 4, "Invalid number: expected a digit after '.'"],
    ["1e+", 1, 4, "Invalid number: expected a digit in the exponent"],
    ['"\\q"', 1, 2, "Bad escape sequence \\q"],
    ['"\\u12G4"', 1, 2, "Bad Unicode escape \\u12"],
    ['"abc', 1, 1, "Unterminated string"],
    ['{"a":"x\ny"}', 1, 8, "Unterminated string (line break inside a string)"],
    ['["a\tb"]', 1, 4, "Bad control character U+0009 in string"],
    ["[1,\r\n  2,\r\n  }", 3, 3, "Unexpected token }, expected a value"],
    ["\uFEFF{\n  x}", 2, 3, "Unexpected token x, expected a property name in double quotes"],
    ['{"🌲": 1, ?}', 1, 11, "Unexpected token ?, expected a property name in double quotes"],
    ["[\u0001]", 1, 2, "Unexpected token U+0001, expected a value"],
  ])("%j → line %i, column %i: %s", (text, line, column, reason) => {
    expect(errorOf(text)).toEqual({
      message: `Invalid JSON at line ${line}, column ${column}: ${reason}`,
      reason,
      line,
      column,
    });
  });

  it("handles deep nesting without recursion limits", () => {
    const deep = "[".repeat(100_000) + "]".repeat(99_999) + "}";
    expect(errorOf(deep)).toMatchObject({ line: 1, column: 200_000 });
  });

  it("agrees with JSON.parse on what is valid (property test)", () => {
    const token = fc.constantFrom(
      "{",
      "}",
      "[",
      "]",
      ",",
      ":",
      '"a"',
      '"\\n"',
      '"\\u00zz"',
      "1",
      "-0.5e3",
      "01",
      "true",
      "nul",
      " ",
      "\n",
      '"x',
      "\\",
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 14 }), (tokens) => {
        const text = tokens.join("");
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        return (locateJsonError(text) === null) === valid;
      }),
      { numRuns: 3000 },
    );
  });

  it("agrees with JSON.parse on generated valid documents", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2, "\t"), (value, indent) => {
        return locateJsonError(JSON.stringify(value, null, indent)) === null;
      }),
      { numRuns: 300 },
    );
  });
});
