/**
 * Side-by-side rows for the diff view: removed lines on the left, added on the right, paired
 * where a block was replaced, with long unchanged stretches folded around a few context lines.
 */
import { diffLines, splitLines } from "./linediff.ts";

export interface Cell {
  no: number;
  text: string;
  kind: "equal" | "del" | "ins";
}

export type DiffRow =
  { type: "line"; left: Cell | null; right: Cell | null } | { type: "fold"; count: number; rows: DiffRow[] };

export function sideBySideRows(before: string, after: string, context = 3): DiffRow[] {
  const ops = diffLines(splitLines(before), splitLines(after));
  const rows: DiffRow[] = [];
  let ln = 1;
  let rn = 1;
  let k = 0;
  while (k < ops.length) {
    const op = ops[k]!;
    if (op.type === "equal") {
      rows.push({
        type: "line",
        left: { no: ln++, text: op.line, kind: "equal" },
        right: { no: rn++, text: op.line, kind: "equal" },
      });
      k++;
      continue;
    }
    const dels: string[] = [];
    const ins: string[] = [];
    while (k < ops.length && ops[k]!.type !== "equal") {
      const o = ops[k++]!;
      (o.type === "del" ? dels : ins).push(o.line);
    }
    for (let x = 0; x < Math.max(dels.length, ins.length); x++) {
      rows.push({
        type: "line",
        left: x < dels.length ? { no: ln++, text: dels[x]!, kind: "del" } : null,
        right: x < ins.length ? { no: rn++, text: ins[x]!, kind: "ins" } : null,
      });
    }
  }
  return fold(rows, context);
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
