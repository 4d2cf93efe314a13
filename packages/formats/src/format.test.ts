/** Unit tests of format detection by file-name suffix. */
import { describe, expect, it } from "vitest";
import { formatOf } from "./format.ts";

describe("formatOf", () => {
  it.each([
    ["/payments/prod/limits.json", "json"],
    ["/a/b.yaml", "yaml"],
    ["/a/b.yml", "yaml"],
    ["/a/app.properties", "properties"],
    ["/a/Cargo.toml", "toml"],
    ["/A/B.JSON", "json"],
    ["/a/readme", "text"],
    ["/a/b.json.bak", "text"],
    ["/a.json/child", "text"],
    ["/a/b.xml", "text"],
    ["/", "text"],
    ["/a/.json", "json"],
    ["/conifer/instances/x-0000000001", "text"],
  ] as const)("%s → %s", (path, format) => {
    expect(formatOf(path)).toBe(format);
  });
});
