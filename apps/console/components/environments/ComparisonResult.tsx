/**
 * One comparison's answer in three groups (only on the left, only on the right, differing), with
 * what the user ticks to promote. The direction decides which side is the source: only keys the
 * source has can be ticked (a promote creates or updates, it never deletes a key), so turning
 * the direction round clears the ticks. Users who may not propose on the target see the
 * comparison without any of the promote controls.
 */
"use client";
import { useState } from "react";
import { useCan } from "../../lib/me.ts";
import { DifferingKey } from "./DifferingKey.tsx";
import { KeyGroup } from "./KeyGroup.tsx";
import { PromoteBar } from "./PromoteBar.tsx";
import { PromoteOptions } from "./PromoteOptions.tsx";
import { EMPTY_SELECTION, type Selection } from "./selection.ts";
import type { Comparison, Direction } from "./types.ts";

/** The Compare screen's URL with the line diff of `key` open (or closed, with null). */
function diffHref(data: Comparison, key: string | null): string {
  const q = new URLSearchParams({ left: data.left, right: data.right });
  if (key !== null) q.set("diff", key);
  return `/compare?${q.toString()}`;
}

export function ComparisonResult({ data, diffKey }: { data: Comparison; diffKey: string | null }) {
  const [direction, setDirection] = useState<Direction>("left-to-right");
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [keepOverrides, setKeepOverrides] = useState(false);
  const mayProposeRight = useCan("propose", data.right);
  const mayProposeLeft = useCan("propose", data.left);
  const ltr = direction === "left-to-right";
  const from = ltr ? data.left : data.right;
  const to = ltr ? data.right : data.left;
  const mayPropose = ltr ? mayProposeRight : mayProposeLeft;
  const same = data.onlyLeft.length + data.onlyRight.length + data.differing.length === 0;
  const pick = mayPropose ? { selection, onChange: setSelection } : null;
  return (
    <>
      <p className="muted compare-summary" data-testid="compare-summary">
        {data.differing.length} differing · {data.onlyLeft.length} only on the left · {data.onlyRight.length} only on
        the right · {data.equal.length} identical
      </p>
      {same ? (
        <div className="empty-state" data-testid="compare-same">
          <h2>Nothing differs</h2>
          <p>
            {data.left} and {data.right} hold the same {data.equal.length} key(s) with the same content.
          </p>
        </div>
      ) : (
        <>
          {(mayProposeLeft || mayProposeRight) && (
            <PromoteOptions
              left={data.left}
              right={data.right}
              direction={direction}
              allowed={{ "left-to-right": mayProposeRight, "right-to-left": mayProposeLeft }}
              keepOverrides={keepOverrides}
              onDirection={(d) => {
                setDirection(d);
                setSelection(EMPTY_SELECTION);
              }}
              onKeepOverrides={setKeepOverrides}
            />
          )}
          {!mayPropose && (
            <p className="muted small" data-testid="compare-read-only">
              You can compare these prefixes but may not propose changes under {to}: promoting needs the editor role
              there.
            </p>
          )}
          <KeyGroup
            title={`Only on the left (${data.left})`}
            testId="compare-only-left"
            keys={data.onlyLeft}
            pick={ltr ? pick : null}
            note={mayPropose && !ltr ? `Not on ${data.right}: a promote into ${data.left} does not delete keys.` : null}
          />
          <KeyGroup
            title={`Only on the right (${data.right})`}
            testId="compare-only-right"
            keys={data.onlyRight}
            pick={ltr ? null : pick}
            note={mayPropose && ltr ? `Not on ${data.left}: a promote into ${data.right} does not delete keys.` : null}
          />
          <section className="compare-group" data-testid="compare-differing">
            <h2>
              Differing <span className="muted">({data.differing.length})</span>
            </h2>
            {data.differing.length === 0 ? (
              <p className="muted small">Every key both prefixes hold has the same content.</p>
            ) : (
              <p className="muted small">
                Values read left → right: {data.left} → {data.right}.
              </p>
            )}
            {data.differing.map((d) => (
              <DifferingKey
                key={d.key}
                entry={d}
                direction={direction}
                pick={pick}
                lineDiff={
                  diffKey === d.key
                    ? { open: true, href: diffHref(data, null) }
                    : { open: false, href: diffHref(data, d.key) }
                }
              />
            ))}
          </section>
          {mayPropose && <PromoteBar from={from} to={to} selection={selection} keepOverrides={keepOverrides} />}
        </>
      )}
    </>
  );
}
