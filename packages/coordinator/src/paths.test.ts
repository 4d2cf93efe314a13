import { describe, expect, it } from "vitest";
import { ancestorsOf, baseName, isWithin, parentOf, pathProblem } from "./paths.ts";

describe("pathProblem", () => {
  it.each(["/", "/a", "/a/b", "/a/...", "/.a", "/a.", "/ünï/çødé"])("accepts %s", (p) => {
    expect(pathProblem(p)).toBeNull();
  });
  it.each([
    ["", "empty"],
    ["a", "start with /"],
    ["/a/", "end with /"],
    ["/a//b", "empty segment"],
    ["/a/.", "relative"],
    ["/a/../b", "relative"],
    ["/a\u0000b", "null character"],
    ["/a\u0007b", "U+0007"],
    ["/a\u0085", "U+0085"],
    ["/a\ud83d\ude00", "U+D83D"],
    ["/a\ufff0", "U+FFF0"],
  ])("rejects %j (%s)", (p, why) => {
    expect(pathProblem(p)).toContain(why);
  });
});

describe("path helpers", () => {
  it("splits parents and names", () => {
    expect(parentOf("/a/b")).toBe("/a");
    expect(parentOf("/a")).toBe("/");
    expect(baseName("/a/b")).toBe("b");
    expect(parentOf("/")).toBe("");
  });
  it("lists ancestors root first", () => {
    expect(ancestorsOf("/a/b/c")).toEqual(["/", "/a", "/a/b"]);
    expect(ancestorsOf("/a")).toEqual(["/"]);
    expect(ancestorsOf("/")).toEqual([]);
  });
  it("tests containment on segment boundaries", () => {
    expect(isWithin("/a/b", "/a")).toBe(true);
    expect(isWithin("/ab", "/a")).toBe(false);
    expect(isWithin("/x", "/")).toBe(true);
  });
});
