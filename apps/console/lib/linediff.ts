/**
 * Line diff and three-way merge for the console's rebase step ("re-apply my edit on top of
 * theirs"). Configs are small, so a plain LCS over the changed middle is enough; common prefix
 * and suffix are trimmed first so typical one-line edits cost almost nothing.
 */

export type LineOp = { type: "equal" | "del" | "ins"; line: string };

/** Above this many cells the middle is treated as one replaced block (still correct, just coarse). */
const MAX_CELLS = 4_000_000;

export function splitLines(text: string): string[] {
  return text.split("\n");
}

export function diffLines(a: string[], b: string[]): LineOp[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  const ops: LineOp[] = a.slice(0, pre).map((line) => ({ type: "equal", line }));
  ops.push(...lcsOps(am, bm));
  for (const line of a.slice(a.length - suf)) ops.push({ type: "equal", line });
  return ops;
}

function lcsOps(a: string[], b: string[]): LineOp[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((line) => ({ type: "ins", line }));
  if (m === 0) return a.map((line) => ({ type: "del", line }));
  if (n * m > MAX_CELLS)
    return [...a.map((line) => ({ type: "del" as const, line })), ...b.map((line) => ({ type: "ins" as const, line }))];
  // table[i][j] = LCS length of a[i..] and b[j..]
  const w = m + 1;
  const table = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * w + j] =
        a[i] === b[j] ? table[(i + 1) * w + j + 1]! + 1 : Math.max(table[(i + 1) * w + j]!, table[i * w + j + 1]!);
    }
  }
  const ops: LineOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ type: "equal", line: a[i]! });
      i++;
      j++;
    } else if (table[(i + 1) * w + j]! >= table[i * w + j + 1]!) {
      ops.push({ type: "del", line: a[i]! });
      i++;
    } else {
      ops.push({ type: "ins", line: b[j]! });
      j++;
    }
  }
  while (i < n) ops.push({ type: "del", line: a[i++]! });
  while (j < m) ops.push({ type: "ins", line: b[j++]! });
  return ops;
}

export interface DiffStats {
  added: number;
  removed: number;
}

export function diffStats(before: string, after: string): DiffStats {
  let added = 0;
  let removed = 0;
  for (const op of diffLines(splitLines(before), splitLines(after))) {
    if (op.type === "ins") added++;
    else if (op.type === "del") removed++;
  }
  return { added, removed };
}

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
  for (const op of diffLines(base, other)) {
    if (op.type === "equal") {
      if (cur) hunks.push(cur);
      cur = null;
      pos++;
    } else {
      cur ??= { start: pos, end: pos, lines: [] };
      if (op.type === "del") {
        cur.end++;
        pos++;
      } else cur.lines.push(op.line);
    }
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
  const b = splitLines(base);
  const A = hunksOf(b, splitLines(mine));
  const B = hunksOf(b, splitLines(theirs));
  const out: string[] = [];
  let pos = 0;
  let i = 0;
  let j = 0;
  let conflicts = 0;
  while (i < A.length || j < B.length) {
    const first = j >= B.length || (i < A.length && A[i]!.start <= B[j]!.start) ? A[i]! : B[j]!;
    let start = first.start;
    let end = first.end;
    const mineHunks: Hunk[] = [];
    const theirHunks: Hunk[] = [];
    // grow the region while hunks from either side overlap it
    for (;;) {
      if (i < A.length && overlaps(A[i]!, start, end)) {
        const h = A[i++]!;
        mineHunks.push(h);
        start = Math.min(start, h.start);
        end = Math.max(end, h.end);
      } else if (j < B.length && overlaps(B[j]!, start, end)) {
        const h = B[j++]!;
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
