/**
 * The fields of one key that differ, in path order, each with its left and right value and, in
 * the current direction, what promoting it does to the target when that is not a plain
 * replace: a field only the source has is added, one only the target has is removed.
 */
"use client";
import type { FieldPath, Format } from "@conifer/formats";
import { isFieldSelected, toggleField, type Picker } from "./selection.ts";
import type { Direction, FieldsDiff } from "./types.ts";
import { shortValue } from "./values.ts";

interface Row {
  path: FieldPath;
  key: string;
  left: unknown;
  right: unknown;
  /** which side has the field (both when it differs) */
  on: "both" | "left" | "right";
}

function rowsOf(diff: FieldsDiff): Row[] {
  const rows: Row[] = [
    ...diff.differing.map((c) => ({ path: c.path, key: c.key, left: c.left, right: c.right, on: "both" as const })),
    ...diff.onlyLeft.map((e) => ({ path: e.path, key: e.key, left: e.value, right: undefined, on: "left" as const })),
    ...diff.onlyRight.map((e) => ({ path: e.path, key: e.key, left: undefined, right: e.value, on: "right" as const })),
  ];
  return rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function Value({ value, absent }: { value: unknown; absent: boolean }) {
  if (absent) return <span className="muted compare-absent">absent</span>;
  const v = shortValue(value);
  return (
    <code className="compare-value" title={v.full}>
      {v.text}
    </code>
  );
}

export function FieldRows({
  entryKey,
  format,
  diff,
  direction,
  pick,
  whole,
}: {
  entryKey: string;
  format: Format;
  diff: FieldsDiff;
  direction: Direction;
  pick: Picker | null;
  /** the key is ticked whole: its fields go with it */
  whole: boolean;
}) {
  const source = direction === "left-to-right" ? "left" : "right";
  return (
    <ul className="compare-fields" aria-label={`Fields of ${entryKey} that differ`}>
      {rowsOf(diff).map((r) => {
        const effect = r.on === "both" ? null : r.on === source ? "added" : "removed";
        return (
          <li key={r.key} className="compare-field" data-testid="compare-field" data-field={r.key}>
            {pick && (
              <input
                type="checkbox"
                className="checkbox"
                aria-label={`Promote ${r.key} of ${entryKey}`}
                checked={whole || isFieldSelected(pick.selection, entryKey, r.path)}
                disabled={whole}
                onChange={() => pick.onChange(toggleField(pick.selection, entryKey, r.path))}
              />
            )}
            <code className="compare-field-path" data-format={format}>
              {r.key || "(whole document)"}
            </code>
            <span className="compare-values">
              <Value value={r.left} absent={r.on === "right"} />
              <span aria-label="to">→</span>
              <Value value={r.right} absent={r.on === "left"} />
            </span>
            {pick && effect && (
              <span className="badge compare-effect">
                {effect === "added" ? "promote adds it" : "promote removes it"}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
