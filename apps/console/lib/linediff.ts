/**
 * Three-way merge for the console's rebase step ("re-apply my edit on top of theirs"), over the
 * line alignment of @conifer/formats (the same diff the server and the diff view use).
 * Not a diff3 library: those (node-diff3, GNU diff3) report edits to adjacent lines as a
 * conflict, and in a config neighbouring keys are edited independently all the time.
 */
import { alignLines } from "@conifer/formats";

/** A change against the base: replace base lines [start, end) with `lines`. */
interface Hunk {
  start: number;
  end: number;
  lines: string[];
}

function hunksOf(base: string[], other: string[]): Hunk[] {
  const hunks: Hunk[] = [];
  let pos = 0;
  let cur: Hunk | null = null;
  for (const row of alignLines(base, other)) {
    if (row.kind === "same") {
      if (cur) hunks.push(cur);
      cur = null;
      pos++;
      continue;
    }
    cur ??= { start: pos, end: pos, lines: [] };
    if (row.left) {
      cur.end++;
      pos++;
    }
    if (row.right) cur.lines.push(row.right.text);
  }
  if (cur) hunks.push(cur);
  return hunks;
}

function applyHunks(base: string[], from: number, to: number, hunks: Hunk[]): string[] {
  const out: string[] = [];
  let cursor = from;
  for (const h of hunks) {
    out.push(...base.slice(cursor, h.start), ...h.lines);
    cursor = h.end;
  }
  out.push(...base.slice(cursor, to));
  return out;
}

/**
 * Whether a hunk touches the same base lines as the region [start, end). Edits to adjacent
 * lines do not conflict (in a config, neighbouring keys are edited independently all the
 * time); two insertions at the same point do, unless identical (checked by the caller).
 */
function overlaps(h: Hunk, start: number, end: number): boolean {
  const hInsert = h.start === h.end;
  const rInsert = start === end;
  if (hInsert && rInsert) return h.start === start;
  if (hInsert) return start < h.start && h.start < end;
  if (rInsert) return h.start < start && start < h.end;
  return h.start < end && h.end > start;
}

export const CONFLICT_START = "<<<<<<< your edit";
export const CONFLICT_MID = "=======";
export const CONFLICT_END_PREFIX = ">>>>>>> ";

export interface MergeResult {
  text: string;
  conflicts: number;
}

/**
 * Three-way merge of `mine` and `theirs`, both edits of `base`. Changes to different lines
 * combine; changes touching the same lines are kept side by side between conflict markers so
 * nothing is dropped silently and the user resolves them before publishing.
 */
export function merge3(base: string, mine: string, theirs: string, theirLabel: string): MergeResult {
  const b = base.split("\n");
  const A = hunksOf(b, mine.split("\n"));
  const B = hunksOf(b, theirs.split("\n"));
  const out: string[] = [];
  let pos = 0;
  let i = 0;
  let j = 0;
  let conflicts = 0;
  for (;;) {
    const nextMine = A[i];
    const nextTheirs = B[j];
    const first = nextMine && (!nextTheirs || nextMine.start <= nextTheirs.start) ? nextMine : nextTheirs;
    // both sides' hunks are used up
    if (!first) break;
    let start = first.start;
    let end = first.end;
    const mineHunks: Hunk[] = [];
    const theirHunks: Hunk[] = [];
    // grow the region while hunks from either side overlap it
    for (;;) {
      const a = A[i];
      const b2 = B[j];
      if (a && overlaps(a, start, end)) {
        const h = a;
        i++;
        mineHunks.push(h);
        start = Math.min(start, h.start);
        end = Math.max(end, h.end);
      } else if (b2 && overlaps(b2, start, end)) {
        const h = b2;
        j++;
        theirHunks.push(h);
        start = Math.min(start, h.start);
        end = Math.max(end, h.end);
      } else break;
    }
    out.push(...b.slice(pos, start));
    const mineLines = applyHunks(b, start, end, mineHunks);
    const theirLines = applyHunks(b, start, end, theirHunks);
    if (theirHunks.length === 0) out.push(...mineLines);
    else if (mineHunks.length === 0) out.push(...theirLines);
    else if (mineLines.join("\n") === theirLines.join("\n")) out.push(...mineLines);
    else {
      conflicts++;
      out.push(CONFLICT_START, ...mineLines, CONFLICT_MID, ...theirLines, CONFLICT_END_PREFIX + theirLabel);
    }
    pos = end;
  }
  out.push(...b.slice(pos));
  return { text: out.join("\n"), conflicts };
}

export function hasConflictMarkers(text: string): boolean {
  return text.split("\n").some((l) => l === CONFLICT_START || l.startsWith(CONFLICT_END_PREFIX));
}
