/**
 * Side-by-side rows for the diff view: removed lines on the left, added on the right, paired
 * where a block was replaced (the alignment is @conifer/formats', as on the server), with long
 * unchanged stretches folded around a few context lines.
 */
import { alignLines, type SideBySideCell, type SideBySideRow } from "@conifer/formats";

export interface Cell {
  no: number;
  text: string;
  kind: "equal" | "del" | "ins";
}

export type DiffRow =
  { type: "line"; left: Cell | null; right: Cell | null } | { type: "fold"; count: number; rows: DiffRow[] };

export interface DiffStats {
  added: number;
  removed: number;
}

/** Lines split on "\n" alone, so a trailing newline or a "\r" shows as typed. */
const align = (before: string, after: string) => alignLines(before.split("\n"), after.split("\n"));

export function sideBySideRows(before: string, after: string, context = 3): DiffRow[] {
  return fold(align(before, after).map(toLine), context);
}

export function diffStats(before: string, after: string): DiffStats {
  let added = 0;
  let removed = 0;
  for (const row of align(before, after)) {
    if (row.kind === "same") continue;
    if (row.left) removed++;
    if (row.right) added++;
  }
  return { added, removed };
}

function toLine(row: SideBySideRow): DiffRow {
  const same = row.kind === "same";
  return { type: "line", left: cell(row.left, same ? "equal" : "del"), right: cell(row.right, same ? "equal" : "ins") };
}

function cell(c: SideBySideCell | undefined, kind: Cell["kind"]): Cell | null {
  return c ? { no: c.n, text: c.text, kind } : null;
}

function fold(rows: DiffRow[], context: number): DiffRow[] {
  const changed = rows.map((r) => r.type === "line" && (r.left?.kind !== "equal" || r.right?.kind !== "equal"));
  if (!changed.some(Boolean)) return rows;
  const keep = rows.map(() => false);
  changed.forEach((c, i) => {
    if (!c) return;
    for (let d = Math.max(0, i - context); d <= Math.min(rows.length - 1, i + context); d++) keep[d] = true;
  });
  const out: DiffRow[] = [];
  let run: DiffRow[] = [];
  const flush = () => {
    if (run.length > 0) out.push({ type: "fold", count: run.length, rows: run });
    run = [];
  };
  rows.forEach((r, i) => {
    if (keep[i]) {
      flush();
      out.push(r);
    } else run.push(r);
  });
  flush();
  return out;
}

/** Split a replaced pair into [same prefix, changed middle, same suffix] for in-line emphasis. */
export function inlineParts(a: string, b: string): { a: [string, string, string]; b: [string, string, string] } {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  return {
    a: [a.slice(0, p), a.slice(p, a.length - s), a.slice(a.length - s)],
    b: [b.slice(0, p), b.slice(p, b.length - s), b.slice(b.length - s)],
  };
}
