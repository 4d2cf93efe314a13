/** Field diffs for each structured format, the display paths, and the line-diff fallbacks. */
import { describe, expect, it } from "vitest";
import { diffDocuments, type DocumentDiff } from "./field-diff.ts";
import { formatFieldPath, parseFieldPath } from "./field-path.ts";

function fields(d: DocumentDiff) {
  if (d.kind !== "fields") throw new Error(`expected a field diff, got ${d.kind}`);
  return {
    onlyLeft: d.onlyLeft.map((e) => [e.key, e.value]),
    onlyRight: d.onlyRight.map((e) => [e.key, e.value]),
    differing: d.differing.map((e) => [e.key, e.left, e.right]),
  };
}

describe("diffDocuments by field", () => {
  it("JSON: nested fields, arrays by index, a field on one side only", () => {
    const left = JSON.stringify({
      db: { pool: { max: 10, min: 1 }, host: "a" },
      servers: [{ host: "x" }, { host: "y" }],
    });
    const right = JSON.stringify({
      db: { pool: { max: 20, min: 1 } },
      servers: [{ host: "x" }, { host: "z" }, { host: "w" }],
      tls: true,
    });
    expect(fields(diffDocuments("json", left, right))).toEqual({
      onlyLeft: [["db.host", "a"]],
      onlyRight: [
        ["servers[2]", { host: "w" }],
        ["tls", true],
      ],
      differing: [
        ["db.pool.max", 10, 20],
        ["servers[1].host", "y", "z"],
      ],
    });
  });

  it("YAML: comments and key order alone are no difference; a type change is one difference", () => {
    const left = "# staging\ndb:\n  host: a # primary\n  port: 5432\nfeatures: [a, b]\n";
    const right = "db:\n  port: 5432\n  host: a\nfeatures: on\n";
    const d = diffDocuments("yaml", left, right);
    expect(fields(d)).toEqual({ onlyLeft: [], onlyRight: [], differing: [["features", ["a", "b"], "on"]] });
    expect(diffDocuments("yaml", left, "db: {host: a, port: 5432}\nfeatures: [a, b]\n")).toMatchObject({
      kind: "fields",
      equal: true,
    });
  });

  it("TOML: tables, arrays of tables and dates", () => {
    const left = '[db]\nurl = "pg://a"\nsince = 1979-05-27\n[[server]]\nname = "a"\n';
    const right = '[db]\nurl = "pg://b"\nsince = 1979-05-27\n[[server]]\nname = "a"\n[[server]]\nname = "b"\n';
    expect(fields(diffDocuments("toml", left, right))).toEqual({
      onlyLeft: [],
      onlyRight: [["server[1]", { name: "b" }]],
      differing: [["db.url", "pg://a", "pg://b"]],
    });
  });

  it(".properties: each key is one field, named as written", () => {
    const d = diffDocuments("properties", "a.b=1\nc=2\n# x\n", "a.b = 1\nc=3\nd.e=4\n");
    expect(fields(d)).toEqual({ onlyLeft: [], onlyRight: [["d.e", "4"]], differing: [["c", "2", "3"]] });
    if (d.kind === "fields") expect(d.onlyRight[0]?.path).toEqual(["d.e"]);
  });

  it("quotes keys that would read ambiguously, and parses the display form back", () => {
    const d = diffDocuments("json", '{"labels":{"app.io/name":"a"}}', '{"labels":{"app.io/name":"b"}}');
    if (d.kind !== "fields") throw new Error("field diff expected");
    const key = d.differing[0]?.key ?? "";
    expect(key).toBe('labels["app.io/name"]');
    expect(parseFieldPath(key, "json")).toEqual(["labels", "app.io/name"]);
    const path = ["servers", 0, "host-name", 'we"ird', 12];
    expect(parseFieldPath(formatFieldPath(path, "yaml"), "yaml")).toEqual(path);
    expect(parseFieldPath("", "json")).toEqual([]);
    expect(parseFieldPath("a..b", "json")).toBeNull();
    expect(parseFieldPath("a[01]", "json")).toBeNull();
    expect(parseFieldPath("spring.datasource.url", "properties")).toEqual(["spring.datasource.url"]);
  });

  it("a key named __proto__ is an ordinary field", () => {
    expect(fields(diffDocuments("json", '{"__proto__":{"x":1}}', '{"__proto__":{"x":2}}')).differing).toEqual([
      ["__proto__.x", 1, 2],
    ]);
  });
});

describe("diffDocuments falls back to lines", () => {
  it("for plain text", () => {
    const d = diffDocuments("text", "a\nb\n", "a\nc\n");
    expect(d).toMatchObject({ kind: "lines", reason: "text", equal: false, lines: { added: 1, removed: 1 } });
  });

  it("when a side does not parse, saying which and where", () => {
    const d = diffDocuments("json", '{"a":1}\n', '{"a":\n');
    expect(d).toMatchObject({ kind: "lines", reason: "malformed", equal: false });
    if (d.kind !== "lines") throw new Error("line diff expected");
    expect(d.errors?.left).toBeUndefined();
    expect(d.errors?.right).toMatchObject({ line: 2, column: 1 });
  });
});
