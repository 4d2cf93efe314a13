/**
 * The console's data tables (history, audit log, instances, users, API tokens): a scrolling
 * panel with a header row; below 760 px each row stacks into a card whose cells are labelled by
 * their column (the CSS shows a cell's `data-label` in front of it), so `Cell` takes the label.
 */
"use client";
import type { ReactNode, TdHTMLAttributes } from "react";
import "./StackTable.css";

export interface Column {
  label: string;
  className?: string;
  /** a header that only screen readers hear (the compare-checkbox column) */
  hidden?: boolean;
}

export function StackTable({
  testId,
  columns,
  children,
  footer,
  className = "table-scroll card",
}: {
  testId: string;
  columns: readonly Column[];
  /** the rows (`<tr>` of `Cell`s) */
  children: ReactNode;
  /** below the table, inside the panel (a "load older" button) */
  footer?: ReactNode;
  /** classes of the scrolling panel around the table */
  className?: string;
}) {
  return (
    <div className={className}>
      <table className="table table-stack" data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c, i) =>
              c.hidden ? (
                <th key={i} className={c.className} aria-label={c.label} />
              ) : (
                <th key={i} className={c.className}>
                  {c.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
      {footer}
    </div>
  );
}

/** A table cell; `label` names it when the row is stacked into a card on a phone. */
export function Cell({ label, ...td }: { label?: string } & TdHTMLAttributes<HTMLTableCellElement>) {
  return <td data-label={label} {...td} />;
}
