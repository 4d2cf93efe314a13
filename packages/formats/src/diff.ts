/**
 * Text diffs for the console and the history API: unified hunks (via the `diff` package) and
 * rows for a side-by-side viewer. Browser-safe. Very large, very different inputs fall back to
 * "everything removed, everything added" instead of an unbounded Myers search.
 */
import { diffArrays, structuredPatch } from "diff";

export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Lines prefixed with " ", "-", "+" (and "\ No newline at end of file" markers). */
  lines: string[];
}

export interface TextDiff {
  /** A unified diff ("--- old", "+++ new", "@@ … @@" hunks); "" when the texts are equal. */
  unified: string;
  hunks: DiffHunk[];
  added: number;
  removed: number;
}

export interface DiffOptions {
  /** Unchanged lines shown around each change (default 3). */
  context?: number;
  oldLabel?: string;
  newLabel?: string;
}

/** Beyond this edit distance (in lines) the diff is not searched for a minimal script. */
const MAX_EDIT_LENGTH = 5_000;

export function diffText(oldText: string, newText: string, options: DiffOptions = {}): TextDiff {
  const context = Math.max(0, options.context ?? 3);
  if (oldText === newText) return { unified: "", hunks: [], added: 0, removed: 0 };
  const patch = structuredPatch("old", "new", oldText, newText, undefined, undefined, {
    context,
    maxEditLength: MAX_EDIT_LENGTH,
  });
  // An empty side starts at the line before it, as in GNU diff ("@@ -0,0 +1,2 @@" for a new file).
  const hunks: DiffHunk[] = patch
    ? patch.hunks.map((h) => ({
        oldStart: h.oldLines === 0 ? h.oldStart - 1 : h.oldStart,
        oldLines: h.oldLines,
        newStart: h.newLines === 0 ? h.newStart - 1 : h.newStart,
        newLines: h.newLines,
        lines: [...h.lines],
      }))
    : [replaceAll(oldText, newText)];
  let added = 0;
  let removed = 0;
  for (const h of hunks) {
    for (const line of h.lines) {
      if (line.startsWith("+")) added++;
      else if (line.startsWith("-")) removed++;
    }
  }
  const header = `--- ${options.oldLabel ?? "old"}\n+++ ${options.newLabel ?? "new"}\n`;
  const body = hunks
    .map((h) => `@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@\n${h.lines.join("\n")}\n`)
    .join("");
  return { unified: header + body, hunks, added, removed };
}

/** Unified-diff ranges: "start,count", with a count of 1 left out. */
function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}

/** Split into lines, without the empty string after a final newline. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/\r\n|\n|\r/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function replaceAll(oldText: string, newText: string): DiffHunk {
  const oldLines = splitLines(oldText);
  const newLines = splitLines(newText);
  return {
    oldStart: oldLines.length === 0 ? 0 : 1,
    oldLines: oldLines.length,
    newStart: newLines.length === 0 ? 0 : 1,
    newLines: newLines.length,
    lines: [...oldLines.map((l) => `-${l}`), ...newLines.map((l) => `+${l}`)],
  };
}

export interface SideBySideCell {
  /** 1-based line number on that side. */
  n: number;
  text: string;
}

export interface SideBySideRow {
  left?: SideBySideCell;
  right?: SideBySideCell;
  kind: "same" | "add" | "del" | "change";
}

/**
 * Rows for a two-column viewer: unchanged lines side by side, a run of removed lines facing the
 * run of added lines that replaced it ("change" rows, the longer run's extra lines as "del"/"add").
 * A missing final newline is not shown as a change (there is no line to show it on).
 */
export function sideBySide(oldText: string, newText: string): SideBySideRow[] {
  return alignLines(splitLines(oldText), splitLines(newText));
}

/**
 * The same rows for lines the caller has split itself: the console's diff view and three-way
 * merge split on "\n" alone, so that what they show and rebuild keeps every line as typed.
 */
export function alignLines(oldLines: string[], newLines: string[]): SideBySideRow[] {
  const parts = diffArrays(oldLines, newLines, { maxEditLength: MAX_EDIT_LENGTH }) ?? [
    { value: oldLines, removed: true, added: false, count: oldLines.length },
    { value: newLines, removed: false, added: true, count: newLines.length },
  ];
  const rows: SideBySideRow[] = [];
  let l = 1;
  let r = 1;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p];
    if (!part) break;
    if (!part.added && !part.removed) {
      for (const text of part.value) rows.push({ left: { n: l++, text }, right: { n: r++, text }, kind: "same" });
      continue;
    }
    const removed = part.removed ? part.value : [];
    const next = parts[p + 1];
    const added = part.added ? part.value : next?.added ? next.value : [];
    if (part.removed && next?.added) p++;
    const paired = Math.min(removed.length, added.length);
    for (let i = 0; i < Math.max(removed.length, added.length); i++) {
      const left = i < removed.length ? { n: l++, text: removed[i] ?? "" } : undefined;
      const right = i < added.length ? { n: r++, text: added[i] ?? "" } : undefined;
      const row: SideBySideRow = { kind: i < paired ? "change" : left ? "del" : "add" };
      if (left) row.left = left;
      if (right) row.right = right;
      rows.push(row);
    }
  }
  return rows;
}
