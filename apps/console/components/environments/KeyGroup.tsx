/** Keys only one prefix holds: each a link to the node, tickable when this side is the source. */
"use client";
import { FORMAT_LABEL } from "@conifer/formats";
import Link from "next/link";
import { nodeHref } from "../../lib/paths.ts";
import { isKeySelected, toggleKey, type Picker } from "./selection.ts";
import type { OneSideKey } from "./types.ts";

export function KeyGroup({
  title,
  testId,
  keys,
  pick,
  note,
}: {
  title: string;
  testId: string;
  keys: readonly OneSideKey[];
  pick: Picker | null;
  /** why these keys cannot be ticked in the current direction */
  note: string | null;
}) {
  return (
    <section className="compare-group" data-testid={testId}>
      <h2>
        {title} <span className="muted">({keys.length})</span>
      </h2>
      {keys.length === 0 ? (
        <p className="muted small">None.</p>
      ) : (
        <>
          {note && <p className="muted small">{note}</p>}
          <ul className="card compare-keys">
            {keys.map((k) => (
              <li key={k.key} className="compare-key-head" data-testid="compare-key" data-key={k.key}>
                {pick && (
                  <input
                    type="checkbox"
                    className="checkbox"
                    aria-label={`Promote ${k.key}`}
                    checked={isKeySelected(pick.selection, k.key)}
                    onChange={() => pick.onChange(toggleKey(pick.selection, k.key))}
                  />
                )}
                <Link href={nodeHref(k.side.path)} className="mono compare-key-name">
                  {k.key}
                </Link>
                <span className="badge">{FORMAT_LABEL[k.format]}</span>
                <span className="muted small">v{k.side.version}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
