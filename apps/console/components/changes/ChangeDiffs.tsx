/**
 * The combined diff of a change: for every key, base → proposed; where live moved after the
 * draft began, also live → proposed, so a reviewer sees what publishing would really overwrite.
 */
"use client";
import Link from "next/link";
import { nodeHref } from "../../lib/paths.ts";
import { DiffView } from "../DiffView.tsx";
import type { ChangeStatus, ChangeViewData } from "./types.ts";

const CLOSED: readonly ChangeStatus[] = ["published", "withdrawn", "rejected"];

export function ChangeDiffs({ view }: { view: ChangeViewData }) {
  const live = new Map(view.live.map((l) => [l.path, l]));
  // once published (or closed) live moved because of this change, or no longer matters
  const open = !CLOSED.includes(view.change.status);
  return (
    <section className="change-diffs" data-testid="change-diffs">
      <h2>Keys ({view.change.items.length})</h2>
      {view.change.items.map((i) => {
        const now = live.get(i.path);
        const conflicted = open && view.change.conflicts.includes(i.path);
        const proposed = i.op === "delete" ? "" : i.content;
        const moved = open && !!now?.moved;
        return (
          <div key={i.path} className="change-item" data-testid="change-item" data-path={i.path}>
            <h3>
              <Link href={nodeHref(i.path)}>{i.path}</Link> <span className="badge badge-op">{i.op}</span>
              {(moved || conflicted) && (
                <span className="badge badge-warn" data-testid="item-moved">
                  live moved to version {now?.version ?? "?"}
                </span>
              )}
            </h3>
            <DiffView
              before={i.baseContent}
              after={proposed}
              leftLabel={i.baseVersion < 0 ? <>New key</> : <>Base · version {i.baseVersion}</>}
              rightLabel={<>Proposed</>}
              testId="item-diff"
            />
            {moved && (
              <DiffView
                before={now.content ?? ""}
                after={proposed}
                leftLabel={now.version < 0 ? <>Live · deleted</> : <>Live · version {now.version}</>}
                rightLabel={<>Proposed</>}
                testId="item-live-diff"
              />
            )}
          </div>
        );
      })}
    </section>
  );
}
