/** YAML field promote: the target's comments, order and quoting survive; the edits land in place. */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { promoteFields, type PromoteResult } from "./promote.ts";

function text(r: PromoteResult): string {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.text;
}

const source = `# staging
db:
  pool:
    max: 50 # raised for load tests
    min: 5
  host: staging-db
servers:
  - host: s1
  - host: s2
# a flag only staging has
beta: true
`;

const target = `# production: edit with care
db:
  pool:
    max: 10 # sized for the prod database
    min: 2
  host: "prod-db"
  ssl: true
servers:
  - host: p1 # the only one
legacy: 1
`;

describe("promoteFields (YAML)", () => {
  it("a changed scalar keeps the target's comment; everything else is the target as written", () => {
    const out = text(promoteFields("yaml", { source, target, fields: [["db", "pool", "max"]] }));
    expect(out).toBe(target.replace("max: 10 #", "max: 50 #"));
  });

  it("adds a field with the source's comment, removes one, appends a list item", () => {
    const out = text(promoteFields("yaml", { source, target, fields: [["beta"], ["legacy"], ["servers", 1]] }));
    expect(out).toBe(`# production: edit with care
db:
  pool:
    max: 10 # sized for the prod database
    min: 2
  host: "prod-db"
  ssl: true
servers:
  - host: p1 # the only one
  - host: s2
# a flag only staging has
beta: true
`);
  });

  it("replaces a nested subtree; a removed list item does not disturb the others", () => {
    const out = text(promoteFields("yaml", { source, target, fields: [["db"]] }));
    expect(parse(out)).toEqual({
      db: { pool: { max: 50, min: 5 }, host: "staging-db" },
      servers: [{ host: "p1" }],
      legacy: 1,
    });
    expect(out.startsWith("# production: edit with care\n")).toBe(true);
    const longer = "servers:\n  - a # first\n  - b\n  - c # third\n";
    const cut = text(
      promoteFields("yaml", {
        source: "servers: [a]\n",
        target: longer,
        fields: [
          ["servers", 2],
          ["servers", 1],
        ],
      }),
    );
    expect(cut).toBe("servers:\n  - a # first\n");
  });

  it("keepTargetOverrides adds only what the target lacks", () => {
    const out = text(promoteFields("yaml", { source, target, fields: [[]], keepTargetOverrides: true }));
    expect(parse(out)).toEqual({ ...(parse(target) as object), beta: true });
    expect(out).toContain("max: 10 # sized for the prod database");
  });

  it("a scalar whose type changes takes the source's node, not the target's quoting", () => {
    const out = text(
      promoteFields("yaml", { source: "port: 8080\n", target: 'port: "80" # http\n', fields: [["port"]] }),
    );
    expect(out).toBe("port: 8080 # http\n");
  });

  it("an empty target takes the promoted fields", () => {
    const out = text(promoteFields("yaml", { source, target: "# nothing yet\n", fields: [["db", "host"]] }));
    expect(parse(out)).toEqual({ db: { host: "staging-db" } });
    expect(out).toContain("# nothing yet");
  });

  it("a field reached through an alias in the target is refused, not written into the anchor", () => {
    const aliased = "base: &b\n  max: 1\nprod: *b\n";
    const r = promoteFields("yaml", {
      source: "base:\n  max: 1\nprod:\n  max: 2\n",
      target: aliased,
      fields: [["prod", "max"]],
    });
    expect(r).toMatchObject({ ok: false, error: { code: "NOT_PRESERVED" } });
  });

  it("a malformed document is a typed error naming the side", () => {
    const r = promoteFields("yaml", { source: "a: [1,\n", target, fields: [["a"]] });
    expect(r).toMatchObject({ ok: false, error: { code: "MALFORMED", side: "source" } });
    const dup = promoteFields("yaml", { source, target: "a: 1\na: 2\n", fields: [["db"]] });
    expect(dup).toMatchObject({ ok: false, error: { code: "MALFORMED", side: "target", parse: { line: 2 } } });
  });
});
