/** .properties field promote: line edits that keep comments, order, escapes and continuations. */
import { describe, expect, it } from "vitest";
import { promoteFields, type PromoteResult } from "./promote.ts";

function text(r: PromoteResult): string {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.text;
}

const source = [
  "# staging",
  "db.pool.max=50",
  "db.url=jdbc:pg://staging",
  "greeting=Hello \\",
  "    staging",
  "path\\ with\\ spaces = a\\=b",
  "feature.beta=true",
  "",
].join("\n");

const target = [
  "# production",
  "db.pool.max = 10",
  "# the prod database",
  "db.url = jdbc:pg://prod",
  "legacy.flag=1",
  "greeting=Hello",
  "",
].join("\n");

describe("promoteFields (.properties)", () => {
  it("replaces a key's entry with the source's, in place; comments and order stay", () => {
    expect(text(promoteFields("properties", { source, target, fields: [["db.pool.max"]] }))).toBe(
      target.replace("db.pool.max = 10", "db.pool.max=50"),
    );
  });

  it("adds keys (escapes and continuation lines verbatim) and removes one", () => {
    const out = text(
      promoteFields("properties", {
        source,
        target,
        fields: [["greeting"], ["path with spaces"], ["legacy.flag"], ["feature.beta"]],
      }),
    );
    expect(out).toBe(
      [
        "# production",
        "db.pool.max = 10",
        "# the prod database",
        "db.url = jdbc:pg://prod",
        "greeting=Hello \\",
        "    staging",
        "path\\ with\\ spaces = a\\=b",
        "feature.beta=true",
        "",
      ].join("\n"),
    );
  });

  it("keepTargetOverrides: every key promoted, the target's values kept", () => {
    const out = text(promoteFields("properties", { source, target, fields: [[]], keepTargetOverrides: true }));
    expect(out).toBe(`${target}path\\ with\\ spaces = a\\=b\nfeature.beta=true\n`);
  });

  it("a target without a final newline, with CRLF line ends and a duplicated key", () => {
    const crlf = "a=1\r\nb=2\r\nb=3";
    const out = text(
      promoteFields("properties", { source: "b=9\nc=4\n", target: crlf, fields: [["b"], ["c"], ["a"]] }),
    );
    expect(out).toBe("b=2\r\nb=9\r\nc=4\r\n"); // the last b is the one in force
  });

  it("a malformed document is a typed error", () => {
    const r = promoteFields("properties", { source: "a=\\u12", target, fields: [["a"]] });
    expect(r).toMatchObject({ ok: false, error: { code: "MALFORMED", side: "source", parse: { line: 1, column: 3 } } });
  });
});
