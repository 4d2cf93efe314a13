/** Unit tests of YAML parsing: values, error positions, one-document rule, alias limits. */
import { describe, expect, it } from "vitest";
import { parseYaml } from "./yaml.ts";

const err = (text: string) => {
  const r = parseYaml(text);
  if (r.ok) throw new Error(`expected ${JSON.stringify(text)} to be invalid`);
  return r.error;
};

describe("parseYaml", () => {
  it("parses mappings, sequences and scalars (YAML 1.2 core schema)", () => {
    expect(parseYaml("a: 1\nb:\n  - x\n  - {c: true}\nd: null\ne: 'yes'\nf: yes\n")).toEqual({
      ok: true,
      value: { a: 1, b: ["x", { c: true }], d: null, e: "yes", f: "yes" },
    });
    expect(parseYaml("---\nonly: one\n...\n")).toEqual({ ok: true, value: { only: "one" } });
    expect(parseYaml("\uFEFFk: v\n")).toEqual({ ok: true, value: { k: "v" } });
    expect(parseYaml("名前: 設定 🌲\n")).toEqual({ ok: true, value: { 名前: "設定 🌲" } });
  });

  it("treats empty and comment-only documents as null", () => {
    expect(parseYaml("")).toEqual({ ok: true, value: null });
    expect(parseYaml("# nothing here\n")).toEqual({ ok: true, value: null });
  });

  it("resolves anchors and aliases", () => {
    expect(parseYaml("base: &b {x: 1}\nother: *b\n")).toEqual({ ok: true, value: { base: { x: 1 }, other: { x: 1 } } });
  });

  it.each([
    ["a: 1\na: 2\n", 2, 1, "Map keys must be unique"],
    ["a: 1\n  b: 2\n", 1, 4, "Nested mappings are not allowed in compact mappings"],
    ["a:\n\t- b\n", 2, 1, "Tabs are not allowed as indentation"],
    ['key: "unterminated\n', 2, 1, 'Missing closing "quote'],
    [
      "list: [1, 2\nnext: 3\n",
      2,
      1,
      "Flow sequence in block collection must be sufficiently indented and end with a ]",
    ],
    ["---\na: 1\n---\nb: 2\n", 3, 1, "Multiple YAML documents are not supported in one config file"],
    ["x: *nope\n", 1, 4, "Unresolved alias (the anchor must be set before the alias): nope"],
    ["\uFEFFa: 1\na: 2\n", 2, 1, "Map keys must be unique"],
    [
      "a: 1\r\nb: [\r\nc: 3\r\n  d\r\n",
      3,
      1,
      "Flow sequence in block collection must be sufficiently indented and end with a ]",
    ],
  ])("%j → line %i, column %i: %s", (text, line, column, reason) => {
    expect(err(text)).toEqual({
      message: `Invalid YAML at line ${line}, column ${column}: ${reason}`,
      reason,
      line,
      column,
    });
  });

  it("refuses alias bombs instead of expanding them", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (const [name, prev] of [
      ["b", "a"],
      ["c", "b"],
      ["d", "c"],
      ["e", "d"],
      ["f", "e"],
    ])
      bomb.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(", ")}]`);
    const e = err(bomb.join("\n") + "\n");
    expect(e.reason).toMatch(/alias/i);
  });
});
