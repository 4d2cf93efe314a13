/** Unit tests of unified hunks and side-by-side rows. */
import { describe, expect, it } from "vitest";
import { alignLines, diffText, sideBySide, splitLines } from "./diff.ts";

const lines = (n: number, prefix = "line") =>
  Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`).join("\n") + "\n";

describe("diffText", () => {
  it("is empty for equal texts", () => {
    expect(diffText("a\n", "a\n")).toEqual({ unified: "", hunks: [], added: 0, removed: 0 });
  });

  it("produces one hunk with context and counts", () => {
    const d = diffText("a\nb\nc\n", "a\nB\nc\nd\n");
    expect(d.hunks).toEqual([
      { oldStart: 1, oldLines: 3, newStart: 1, newLines: 4, lines: [" a", "-b", "+B", " c", "+d"] },
    ]);
    expect(d.added).toBe(2);
    expect(d.removed).toBe(1);
    expect(d.unified).toBe("--- old\n+++ new\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n");
  });

  it("splits distant changes into hunks with the requested context", () => {
    const oldText = lines(30);
    const newText = oldText.replace("line 5\n", "line five\n").replace("line 25\n", "line twenty-five\n");
    const d = diffText(oldText, newText, { context: 2 });
    expect(d.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines])).toEqual([
      [3, 5, 3, 5],
      [23, 5, 23, 5],
    ]);
    expect(d.hunks[0]!.lines).toEqual([" line 3", " line 4", "-line 5", "+line five", " line 6", " line 7"]);
    expect(diffText(oldText, newText, { context: 0 }).hunks.map((h) => h.lines.length)).toEqual([2, 2]);
    // Enough context merges them into one hunk.
    expect(diffText(oldText, newText, { context: 10 }).hunks).toHaveLength(1);
  });

  it("handles creation from and deletion to empty text, and labels", () => {
    const created = diffText("", "x\ny\n", { oldLabel: "v1", newLabel: "v2" });
    expect(created.hunks).toEqual([{ oldStart: 0, oldLines: 0, newStart: 1, newLines: 2, lines: ["+x", "+y"] }]);
    expect(created.unified).toBe("--- v1\n+++ v2\n@@ -0,0 +1,2 @@\n+x\n+y\n");
    const deleted = diffText("x\n", "");
    expect(deleted).toMatchObject({ added: 0, removed: 1 });
    expect(deleted.unified).toContain("@@ -1 +0,0 @@");
  });

  it("marks a missing final newline", () => {
    const d = diffText("a\nb\n", "a\nb");
    expect(d.hunks[0]!.lines).toContain("\\ No newline at end of file");
    expect(d).toMatchObject({ added: 1, removed: 1 });
  });

  it("falls back to remove-all/add-all for huge, completely different texts", () => {
    const a = lines(6000, "old");
    const b = lines(6000, "new");
    const d = diffText(a, b);
    expect(d).toMatchObject({ added: 6000, removed: 6000 });
    expect(d.hunks).toHaveLength(1);
    expect(d.hunks[0]).toMatchObject({ oldStart: 1, oldLines: 6000, newStart: 1, newLines: 6000 });
  });
});

describe("sideBySide", () => {
  it("pairs replaced runs as change rows and numbers each side", () => {
    expect(sideBySide("a\nb\nc\nd\n", "a\nB\nC\nX\nd\ne\n")).toEqual([
      { kind: "same", left: { n: 1, text: "a" }, right: { n: 1, text: "a" } },
      { kind: "change", left: { n: 2, text: "b" }, right: { n: 2, text: "B" } },
      { kind: "change", left: { n: 3, text: "c" }, right: { n: 3, text: "C" } },
      { kind: "add", right: { n: 4, text: "X" } },
      { kind: "same", left: { n: 4, text: "d" }, right: { n: 5, text: "d" } },
      { kind: "add", right: { n: 6, text: "e" } },
    ]);
  });

  it("shows pure deletions as del rows", () => {
    expect(sideBySide("a\nb\nc\n", "a\nc\n")).toEqual([
      { kind: "same", left: { n: 1, text: "a" }, right: { n: 1, text: "a" } },
      { kind: "del", left: { n: 2, text: "b" } },
      { kind: "same", left: { n: 3, text: "c" }, right: { n: 2, text: "c" } },
    ]);
  });

  it("handles empty sides and ignores a missing final newline and CRLF", () => {
    expect(sideBySide("", "x\n")).toEqual([{ kind: "add", right: { n: 1, text: "x" } }]);
    expect(sideBySide("x", "")).toEqual([{ kind: "del", left: { n: 1, text: "x" } }]);
    expect(sideBySide("a\r\nb\r\n", "a\nb").every((r) => r.kind === "same")).toBe(true);
  });

  it("falls back for huge, completely different texts", () => {
    const rows = sideBySide(lines(6000, "old"), lines(6000, "new"));
    expect(rows).toHaveLength(6000);
    expect(rows.every((r) => r.kind === "change")).toBe(true);
  });

  it("aligns lines the caller split, keeping a trailing empty line", () => {
    expect(alignLines(["a", ""], ["a"])).toEqual([
      { kind: "same", left: { n: 1, text: "a" }, right: { n: 1, text: "a" } },
      { kind: "del", left: { n: 2, text: "" } },
    ]);
  });

  it("splitLines drops only the empty string after a final newline", () => {
    expect(splitLines("")).toEqual([]);
    expect(splitLines("\n")).toEqual([""]);
    expect(splitLines("a\n\nb")).toEqual(["a", "", "b"]);
  });
});
