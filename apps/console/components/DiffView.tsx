/**
 * Side-by-side diff of two texts with line numbers, removed / added highlighting, in-line
 * emphasis for replaced lines and folded unchanged stretches (click to expand).
 */
"use client";
import { useMemo, useState, type ReactNode } from "react";
import { diffStats, inlineParts, sideBySideRows, type Cell, type DiffRow } from "../lib/sidebyside.ts";
import "./DiffView.css";

export function DiffView({
  before,
  after,
  leftLabel,
  rightLabel,
  testId,
}: {
  before: string;
  after: string;
  leftLabel: ReactNode;
  rightLabel: ReactNode;
  testId?: string;
}) {
  const rows = useMemo(() => sideBySideRows(before, after), [before, after]);
  const stats = useMemo(() => diffStats(before, after), [before, after]);
  const same = before === after;
  return (
    <div className="diff" data-testid={testId ?? "diff"}>
      <div className="diff-head">
        <div className="diff-label diff-label-left">{leftLabel}</div>
        <div className="diff-label diff-label-right">
          {rightLabel}
          <span className="diff-stats">
            <span className="plus">+{stats.added}</span> <span className="minus">−{stats.removed}</span>
          </span>
        </div>
      </div>
      {same ? (
        <p className="diff-same">No differences: both sides are identical.</p>
      ) : (
        <div className="diff-body" role="table" aria-label="Side-by-side diff">
          {rows.map((r, i) => (
            <Row key={i} row={r} />
          ))}
        </div>
      )}
    </div>
  );
}

function Row({ row }: { row: DiffRow }) {
  const [open, setOpen] = useState(false);
  if (row.type === "fold") {
    if (open)
      return (
        <>
          {row.rows.map((r, i) => (
            <Row key={i} row={r} />
          ))}
        </>
      );
    return (
      <button type="button" className="diff-fold" onClick={() => setOpen(true)}>
        ⋯ {row.count} unchanged {row.count === 1 ? "line" : "lines"}
      </button>
    );
  }
  const pair =
    row.left && row.right && row.left.kind === "del" && row.right.kind === "ins"
      ? inlineParts(row.left.text, row.right.text)
      : null;
  return (
    <div className="diff-row" role="row">
      <Side cell={row.left} parts={pair?.a} />
      <Side cell={row.right} parts={pair?.b} />
    </div>
  );
}

function Side({ cell, parts }: { cell: Cell | null; parts: [string, string, string] | undefined }) {
  if (!cell) return <div className="diff-cell diff-cell-empty" role="cell" />;
  return (
    <div className={`diff-cell diff-${cell.kind}`} role="cell">
      <span className="diff-no">{cell.no}</span>
      <span className="diff-sign">{cell.kind === "del" ? "−" : cell.kind === "ins" ? "+" : " "}</span>
      <span className="diff-text">
        {parts ? (
          <>
            {parts[0]}
            <mark>{parts[1]}</mark>
            {parts[2]}
          </>
        ) : (
          cell.text || " "
        )}
      </span>
    </div>
  );
}
