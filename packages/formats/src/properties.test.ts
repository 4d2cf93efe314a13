/** Unit tests of the Java .properties parser (separators, comments, continuations, escapes, errors). */
import { describe, expect, it } from "vitest";
import { parseProperties } from "./properties.ts";

const value = (text: string) => {
  const r = parseProperties(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as Record<string, string>;
};
const err = (text: string) => {
  const r = parseProperties(text);
  if (r.ok) throw new Error(`expected ${JSON.stringify(text)} to be invalid`);
  return r.error;
};

describe("parseProperties", () => {
  it("reads the three separators and surrounding whitespace", () => {
    expect(value("a=1\nb = 2\nc:3\nd : 4\ne 5\n  f\t=\t6  \n")).toEqual({
      a: "1",
      b: "2",
      c: "3",
      d: "4",
      e: "5",
      f: "6  ",
    });
  });

  it("keeps only the first separator; later = and : belong to the value", () => {
    expect(value("url=http://h:80/x?a=b\nk : = v\nk2 = : v\n")).toEqual({
      url: "http://h:80/x?a=b",
      k: "= v",
      k2: ": v",
    });
  });

  it("accepts keys without values", () => {
    expect(value("lonely\nalso=\nspaced   \n")).toEqual({ lonely: "", also: "", spaced: "" });
  });

  it("skips # and ! comments and blank lines, but not # inside a value", () => {
    expect(value("# c1\n   ! c2\n\n  \t\nk = v # not a comment\n")).toEqual({ k: "v # not a comment" });
  });

  it("joins continuation lines, dropping their leading whitespace", () => {
    expect(value("fruits = apple, \\\n         banana, \\\n    pear\nnext=1\n")).toEqual({
      fruits: "apple, banana, pear",
      next: "1",
    });
    // A continuation line that looks like a comment is still part of the value.
    expect(value("k = a\\\n  # b\n")).toEqual({ k: "a# b" });
    // An even number of trailing backslashes is an escaped backslash, not a continuation.
    expect(value("path = c:\\\\\nnext = 2\n")).toEqual({ path: "c:\\", next: "2" });
    // A comment line ending in a backslash does not continue.
    expect(value("# comment \\\nk = v\n")).toEqual({ k: "v" });
    // A backslash at the very end of the file.
    expect(value("k = v\\")).toEqual({ k: "v" });
  });

  it("decodes escapes, including escaped separators in keys", () => {
    expect(
      value(
        "a\\=b = c\\=d\nsp\\ ace = x\ncol\\:on: y\ntabs = a\\tb\\nc\\rd\\fe\nu = caf\\u00e9 \\u2603\nother = \\q\\\\\n",
      ),
    ).toEqual({
      "a=b": "c=d",
      "sp ace": "x",
      "col:on": "y",
      tabs: "a\tb\nc\rd\fe",
      u: "café ☃",
      other: "q\\",
    });
  });

  it("keeps unicode as is, handles CRLF and CR line endings and a BOM", () => {
    expect(value("\uFEFFname = 設定 🌲\r\nb = 2\rc = 3")).toEqual({ name: "設定 🌲", b: "2", c: "3" });
  });

  it("lets later keys win and stores __proto__ as a plain key", () => {
    const v = value("k = 1\nk = 2\n__proto__ = x\n");
    expect(v.k).toBe("2");
    expect(Object.keys(v)).toEqual(["k", "__proto__"]);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });

  it.each([
    ["k = \\u12G4\n", 1, 5, "\\u12G4"],
    ["a = 1\nbad\\uZZZZkey = 2\n", 2, 4, "\\uZZZZ"],
    ["a = 1\nk = ok \\\n    then \\u00\n", 3, 10, "\\u00"],
    ["k = \\u", 1, 5, "\\u"],
    ["\uFEFFk = x\\u12\n", 1, 6, "\\u12"],
  ])("reports a malformed \\u escape in %j at line %i, column %i", (text, line, column, escape) => {
    const reason = `Malformed \\uXXXX escape "${escape}"`;
    expect(err(text)).toEqual({
      message: `Invalid .properties at line ${line}, column ${column}: ${reason}`,
      reason,
      line,
      column,
    });
  });

  it("returns an empty map for an empty file", () => {
    expect(value("")).toEqual({});
  });
});
