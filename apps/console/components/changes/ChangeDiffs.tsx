/**
 * The combined diff of a change: for every key, base → proposed; where live moved after the
 * draft began, also live → proposed, so a reviewer sees what publishing would really overwrite,
 * and the author is offered the three-way rebase of that key onto live (ItemRebase).
 */
"use client";
import Link from "next/link";
import { useMe } from "../../lib/me.ts";
import { nodeHref } from "../../lib/paths.ts";
import { DiffView } from "../DiffView.tsx";
import { ItemRebase } from "./ItemRebase.tsx";
import type { ChangeStatus, ChangeViewData } from "./types.ts";

const CLOSED: readonly ChangeStatus[] = ["published", "withdrawn", "rejected"];
const EDITABLE: readonly ChangeStatus[] = ["draft", "in_review", "approved", "conflicted"];

export function ChangeDiffs({ view }: { view: ChangeViewData }) {
  const live = new Map(view.live.map((l) => [l.path, l]));
  // once published (or closed) live moved because of this change, or no longer matters
  const open = !CLOSED.includes(view.change.status);
  const me = useMe();
  const mayRebase = me.data?.name === view.change.author && EDITABLE.includes(view.change.status);
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
              <Link href={nodeHref(i.path)}>{i.path}</Link>{" "}
              <span className={`badge badge-op badge-op-${i.op}`} data-testid="item-op">
                {i.op}
              </span>
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
              rightLabel={i.op === "delete" ? <>Deleted</> : <>Proposed</>}
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
            {moved && mayRebase && <ItemRebase view={view} item={i} live={now} />}
          </div>
        );
      })}
    </section>
  );
}
