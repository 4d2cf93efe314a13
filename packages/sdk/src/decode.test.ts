import { describe, expect, it } from "vitest";
import { decodeContent } from "./decode.ts";

const snap = (path: string, format: "json" | "yaml" | "properties" | "toml" | "text", data: string) => ({
  path,
  format,
  data,
  version: 3,
  mzxid: "77",
});

describe("decodeContent", () => {
  it("parses every format by the format the server reports", () => {
    expect(decodeContent(snap("/a.json", "json", '{"a":[1]}'))).toEqual({ ok: true, value: { a: [1] } });
    expect(decodeContent(snap("/a.yaml", "yaml", "a: 1\nb: [x]\n"))).toEqual({ ok: true, value: { a: 1, b: ["x"] } });
    expect(decodeContent(snap("/a.properties", "properties", "k=v\n"))).toEqual({ ok: true, value: { k: "v" } });
    expect(decodeContent(snap("/a.toml", "toml", "[s]\np = 1\n"))).toEqual({ ok: true, value: { s: { p: 1 } } });
    expect(decodeContent(snap("/a", "text", "plain"))).toEqual({ ok: true, value: "plain" });
  });

  it("turns a parse failure into INVALID_CONTENT with the version and position", () => {
    const res = decodeContent(snap("/bad.json", "json", '{\n  "a": }'));
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe("INVALID_CONTENT");
    expect(res.error.details).toMatchObject({ path: "/bad.json", version: 3, mzxid: "77", format: "json", line: 2 });
    expect(res.error.message).toMatch(/^\/bad\.json version 3 was not applied: Invalid JSON at line 2/);
  });
});
