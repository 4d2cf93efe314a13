/**
 * One key both prefixes hold with different content: tick it whole, or tick the fields that
 * differ (structured formats), each shown as `db.pool.max  50 → 10`, left value first. Plain
 * text and content that does not parse have no fields: the key goes whole, and its line diff
 * is one link away.
 */
"use client";
import { FORMAT_LABEL } from "@conifer/formats";
import Link from "next/link";
import { nodeHref } from "../../lib/paths.ts";
import { FieldRows } from "./FieldRows.tsx";
import { LineDiff } from "./LineDiff.tsx";
import { isKeySelected, toggleKey, type Picker } from "./selection.ts";
import type { DifferingKeyData, Direction } from "./types.ts";

/** Why a key is compared by line, or what kind of difference it is, in a sentence. */
function lineNote(entry: DifferingKeyData): string | null {
  const d = entry.diff;
  if (d === null) return "Binary content differs; it can only be promoted whole.";
  if (d.kind === "fields") return d.equal ? "Same values: only comments, layout or key order differ." : null;
  if (d.reason === "text") return "Plain text has no fields: see the line diff; it is promoted whole.";
  const side = d.errors?.left ? "left" : "right";
  const err = d.errors?.left ?? d.errors?.right;
  return `The ${side} side does not parse${err ? ` (${err.message})` : ""}: it is compared by line and promoted whole.`;
}

export function DifferingKey({
  entry,
  direction,
  pick,
  lineDiff,
}: {
  entry: DifferingKeyData;
  direction: Direction;
  pick: Picker | null;
  lineDiff: { open: boolean; href: string };
}) {
  const whole = pick ? isKeySelected(pick.selection, entry.key) : false;
  const note = lineNote(entry);
  const fields = entry.diff?.kind === "fields" && !entry.diff.equal ? entry.diff : null;
  return (
    <article className="card compare-diff" data-testid="compare-key" data-key={entry.key}>
      <div className="compare-key-head">
        {pick && (
          <input
            type="checkbox"
            className="checkbox"
            aria-label={`Promote the whole of ${entry.key}`}
            title="Promote the whole key"
            checked={whole}
            onChange={() => pick.onChange(toggleKey(pick.selection, entry.key))}
          />
        )}
        <span className="mono compare-key-name">{entry.key}</span>
        <span className="badge">{FORMAT_LABEL[entry.format]}</span>
        <span className="muted small">
          <Link href={nodeHref(entry.left.path)}>left v{entry.left.version}</Link> ·{" "}
          <Link href={nodeHref(entry.right.path)}>right v{entry.right.version}</Link>
        </span>
        {entry.diff !== null && (
          <Link href={lineDiff.href} scroll={false} className="small compare-line-link" data-testid="compare-line-diff">
            {lineDiff.open ? "Hide line diff" : "Line diff"}
          </Link>
        )}
      </div>
      {note && <p className="muted small compare-note">{note}</p>}
      {fields && (
        <FieldRows
          entryKey={entry.key}
          format={entry.format}
          diff={fields}
          direction={direction}
          pick={pick}
          whole={whole}
        />
      )}
      {lineDiff.open && <LineDiff left={entry.left.path} right={entry.right.path} />}
    </article>
  );
}
