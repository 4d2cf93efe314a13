/** Which user paths the domain refuses, and which subtrees are the system's own. */
import { describe, expect, it } from "vitest";
import { ConfigError } from "./errors.ts";
import { checkPath, configPathProblem, isSystemPath } from "./paths.ts";

describe("configPathProblem", () => {
  it("accepts ordinary config paths", () => {
    for (const p of ["/", "/a", "/payments/prod/limits.json", "/a/...", "/ünïcode/ключ"])
      expect(configPathProblem(p), p).toBeNull();
  });
  it("refuses relative, dot segments, empty segments, control chars, NUL and broken UTF-16", () => {
    for (const p of [
      "",
      "a",
      "/a/",
      "/a//b",
      "/a/../b",
      "/a/./b",
      "/..",
      "/a\u0000",
      "/a\u001f",
      "/a\u007f",
      "/a\uD800",
      "/a\uDC00b",
      "/a\uFFFD",
    ]) {
      expect(configPathProblem(p), JSON.stringify(p)).toBeTypeOf("string");
    }
    expect(configPathProblem(42)).toBe("path must be a string");
    expect(configPathProblem(`/${"a".repeat(5000)}`)).toMatch(/longer/);
  });
  it("checkPath throws INVALID_PATH with the reason", () => {
    try {
      checkPath("/a/../b");
      expect.unreachable();
    } catch (err) {
      expect(ConfigError.is(err, "INVALID_PATH")).toBe(true);
      expect((err as ConfigError<"INVALID_PATH">).details.reason).toMatch(/relative segment/);
    }
  });
});

describe("isSystemPath", () => {
  it("covers /conifer and /zookeeper subtrees only", () => {
    expect(isSystemPath("/conifer")).toBe(true);
    expect(isSystemPath("/conifer/instances/x")).toBe(true);
    expect(isSystemPath("/zookeeper/quota")).toBe(true);
    expect(isSystemPath("/coniferous")).toBe(false);
    expect(isSystemPath("/app/conifer")).toBe(false);
  });
});
