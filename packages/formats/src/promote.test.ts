/** Field promote, common rules through JSON and TOML: selection, overrides, shapes, typed errors. */
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { promoteFields, type PromoteInput, type PromoteResult } from "./promote.ts";

function ok(r: PromoteResult): { text: string; edits: string[]; rewritten: boolean } {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return { text: r.text, edits: r.edits.map((e) => `${e.kind} ${e.key}`), rewritten: r.rewritten };
}
const json = (input: PromoteInput) => ok(promoteFields("json", input));

const staging = `{
    "db": { "pool": { "max": 50, "min": 5 }, "host": "staging-db" },
    "servers": [{ "host": "s1" }, { "host": "s2" }, { "host": "s3" }],
    "feature": { "beta": true }
}
`;
const prod = `{
    "db": { "pool": { "max": 10, "min": 2 }, "host": "prod-db", "ssl": true },
    "servers": [{ "host": "p1" }],
    "legacy": 1
}
`;

describe("promoteFields (JSON)", () => {
  it("takes a nested field from the source and keeps every other field of the target", () => {
    const r = json({ source: staging, target: prod, fields: [["db", "pool", "max"]] });
    expect(r.edits).toEqual(["set db.pool.max"]);
    expect(JSON.parse(r.text)).toEqual({
      db: { pool: { max: 50, min: 2 }, host: "prod-db", ssl: true },
      servers: [{ host: "p1" }],
      legacy: 1,
    });
    expect(r.text).toMatch(/^\{\n {4}"db": \{\n/); // the target's indentation
    expect(r.text.endsWith("}\n")).toBe(true);
    expect(r.rewritten).toBe(true);
  });

  it("adds a field the target lacks, creating its parents; removes one the source no longer has", () => {
    const r = json({ source: staging, target: prod, fields: [["feature", "beta"], ["legacy"], ["db", "ssl"]] });
    expect(r.edits.sort()).toEqual(["add feature", "remove db.ssl", "remove legacy"]);
    const v = JSON.parse(r.text) as Record<string, unknown>;
    expect(v).toEqual({
      db: { pool: { max: 10, min: 2 }, host: "prod-db" },
      servers: [{ host: "p1" }],
      feature: { beta: true },
    });
    expect(Object.keys(v)).toEqual(["db", "servers", "feature"]); // order kept, new keys last
  });

  it("arrays: an element by index, appending the next one, or the whole array", () => {
    expect(JSON.parse(json({ source: staging, target: prod, fields: [["servers", 0, "host"]] }).text)).toMatchObject({
      servers: [{ host: "s1" }],
    });
    expect(JSON.parse(json({ source: staging, target: prod, fields: [["servers", 1]] }).text)).toMatchObject({
      servers: [{ host: "p1" }, { host: "s2" }],
    });
    expect(JSON.parse(json({ source: staging, target: prod, fields: [["servers"]] }).text)).toMatchObject({
      servers: [{ host: "s1" }, { host: "s2" }, { host: "s3" }],
    });
    // removing two trailing items the source does not have: both go, whatever the selection order
    const r = json({
      source: prod,
      target: staging,
      fields: [
        ["servers", 1],
        ["servers", 2],
      ],
    });
    expect(JSON.parse(r.text)).toMatchObject({ servers: [{ host: "s1" }] });
  });

  it("keepTargetOverrides: the whole document promoted, the target's own values kept", () => {
    const r = json({ source: staging, target: prod, fields: [[]], keepTargetOverrides: true });
    expect(r.edits).toEqual(["add feature"]);
    expect(JSON.parse(r.text)).toEqual({
      db: { pool: { max: 10, min: 2 }, host: "prod-db", ssl: true },
      servers: [{ host: "p1" }],
      legacy: 1,
      feature: { beta: true },
    });
    const all = json({ source: staging, target: prod, fields: [[]] });
    expect(JSON.parse(all.text)).toEqual(JSON.parse(staging));
  });

  it("nothing selected that differs: the target text as it was", () => {
    const r = json({ source: staging, target: prod, fields: [["nope"]] });
    expect(r).toEqual({ text: prod, edits: [], rewritten: false });
  });

  it("refuses a field whose parent is not a table in the target, or past the end of a list", () => {
    const r = promoteFields("json", { source: '{"a":{"b":1}}', target: '{"a":"flat"}', fields: [["a", "b"]] });
    expect(r).toMatchObject({ ok: false, error: { code: "FIELD_SHAPE", path: ["a"] } });
    const past = promoteFields("json", { source: staging, target: prod, fields: [["servers", 2]] });
    expect(past).toMatchObject({ ok: false, error: { code: "FIELD_SHAPE", path: ["servers", 2] } });
  });

  it("a malformed side is a typed error naming the side and position", () => {
    const r = promoteFields("json", { source: staging, target: '{"db": {\n  "x": 1,\n}', fields: [["db"]] });
    expect(r).toMatchObject({ ok: false, error: { code: "MALFORMED", side: "target", parse: { line: 3, column: 1 } } });
    const s = promoteFields("json", { source: "{", target: prod, fields: [["db"]] });
    expect(s).toMatchObject({ ok: false, error: { code: "MALFORMED", side: "source" } });
  });

  it("plain text has no fields", () => {
    expect(promoteFields("text", { source: "a", target: "b", fields: [[]] })).toMatchObject({
      ok: false,
      error: { code: "UNSUPPORTED_FORMAT" },
    });
  });
});

describe("promoteFields (TOML)", () => {
  const source = '[db]\nurl = "pg://staging"\npool = 20\n\n[[server]]\nname = "s1"\n\n[[server]]\nname = "s2"\n';
  const target = 'title = "prod"\n\n[db]\nurl = "pg://prod"\npool = 5\nsince = 1979-05-27\n\n[[server]]\nname = "p1"\n';

  it("nested fields, arrays of tables, added and removed fields", () => {
    const r = ok(
      promoteFields("toml", { source, target, fields: [["db", "pool"], ["server", 1], ["db", "since"], ["extra"]] }),
    );
    expect(r.edits.sort()).toEqual(["add server[1]", "remove db.since", "set db.pool"]);
    expect(parseToml(r.text)).toEqual({
      title: "prod",
      db: { url: "pg://prod", pool: 20 },
      server: [{ name: "p1" }, { name: "s2" }],
    });
    expect(r.rewritten).toBe(true);
  });

  it("keeps dates and the target's overrides", () => {
    const r = ok(promoteFields("toml", { source, target, fields: [["db"]], keepTargetOverrides: true }));
    expect(r.edits).toEqual([]);
    expect(r.text).toBe(target);
  });

  it("a malformed target is a typed error, and nothing is written", () => {
    const r = promoteFields("toml", { source, target: "[db\nurl = 1\n", fields: [["db"]] });
    expect(r).toMatchObject({ ok: false, error: { code: "MALFORMED", side: "target", parse: { line: 1 } } });
  });
});
