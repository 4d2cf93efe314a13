/** Unit tests of TOML parsing and its error positions. */
import { describe, expect, it } from "vitest";
import { parseToml } from "./toml.ts";

const err = (text: string) => {
  const r = parseToml(text);
  if (r.ok) throw new Error(`expected ${JSON.stringify(text)} to be invalid`);
  return r.error;
};

describe("parseToml", () => {
  it("parses tables, arrays and values", () => {
    const r = parseToml('title = "x"\n[server]\nport = 8080\nhosts = ["a", "b"]\n[[rule]]\nname = "r1"\n');
    expect(r).toEqual({
      ok: true,
      value: { title: "x", server: { port: 8080, hosts: ["a", "b"] }, rule: [{ name: "r1" }] },
    });
    expect(parseToml("")).toEqual({ ok: true, value: {} });
    expect(parseToml('\uFEFFk = "é 🌲"\n')).toEqual({ ok: true, value: { k: "é 🌲" } });
  });

  it.each([
    ["a = 1\nb = \n", 2, 5, "Invalid value"],
    ["a = 1\na = 2\n", 2, 1, "Trying to redefine an already defined table or value"],
    ["[x]\ny = 'z\n", 2, 7, "Control characters are not allowed in strings"],
    ["\uFEFFa = 1\nb = \n", 2, 5, "Invalid value"],
  ])("%j → line %i, column %i: %s", (text, line, column, reason) => {
    expect(err(text)).toEqual({
      message: `Invalid TOML at line ${line}, column ${column}: ${reason}`,
      reason,
      line,
      column,
    });
  });

  it("reports errors on CRLF files on the right line", () => {
    expect(err("a = 1\r\nb = 2\r\nc = \r\n")).toMatchObject({ line: 3, column: 5 });
  });
});
