import { describe, expect, it } from "vitest";
import { hasConflictMarkers, merge3 } from "../lib/linediff.ts";
import { diffStats } from "../lib/sidebyside.ts";

describe("merge3", () => {
  const base = ["a", "b", "c", "d", "e"].join("\n");
  it("combines edits to different lines", () => {
    const mine = ["A", "b", "c", "d", "e"].join("\n");
    const theirs = ["a", "b", "c", "d", "E"].join("\n");
    expect(merge3(base, mine, theirs, "v2")).toEqual({ text: ["A", "b", "c", "d", "E"].join("\n"), conflicts: 0 });
  });
  it("marks overlapping edits instead of dropping either", () => {
    const mine = ["a", "MINE", "c", "d", "e"].join("\n");
    const theirs = ["a", "THEIRS", "c", "d", "e"].join("\n");
    const r = merge3(base, mine, theirs, "version 2");
    expect(r.conflicts).toBe(1);
    expect(r.text).toContain("MINE");
    expect(r.text).toContain("THEIRS");
    expect(hasConflictMarkers(r.text)).toBe(true);
  });
  it("takes identical edits once", () => {
    const both = ["a", "X", "c", "d", "e"].join("\n");
    expect(merge3(base, both, both, "v2")).toEqual({ text: both, conflicts: 0 });
  });
  it("keeps their change when I changed nothing", () => {
    const theirs = ["a", "b", "inserted", "c", "d", "e"].join("\n");
    expect(merge3(base, base, theirs, "v2").text).toBe(theirs);
  });
});

describe("diffStats", () => {
  it("counts added and removed lines", () => {
    expect(diffStats("a\nb\nc", "a\nB\nc\nd")).toEqual({ added: 2, removed: 1 });
  });
});

describe("merge3 with neighbouring edits", () => {
  it("merges edits to adjacent lines (typical JSON keys) without a conflict", () => {
    const base = '{\n  "a": 1,\n  "b": 2,\n  "c": 3\n}';
    const mine = base.replace('"c": 3', '"c": 30');
    const theirs = base.replace('"b": 2', '"b": 20');
    const r = merge3(base, mine, theirs, "v2");
    expect(r).toEqual({ text: '{\n  "a": 1,\n  "b": 20,\n  "c": 30\n}', conflicts: 0 });
  });
  it("conflicts when both insert different lines at the same place", () => {
    const r = merge3("a\nb", "a\nX\nb", "a\nY\nb", "v2");
    expect(r.conflicts).toBe(1);
  });
  it("keeps an insertion next to a replacement", () => {
    const r = merge3("a\nb\nc", "a\nB\nc", "a\nb\nnew\nc", "v2");
    expect(r).toEqual({ text: "a\nB\nnew\nc", conflicts: 0 });
  });
});
