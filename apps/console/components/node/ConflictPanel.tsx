/**
 * A version was published while you were editing (by someone else, by you in another tab, or by
 * a client outside Conifer: said by name): show what they changed (from the version you
 * started from to theirs) and what you changed, then let the user re-apply their edit on top of
 * the new version or drop it. Never overwrites anything by itself.
 */
"use client";
import { DiffView } from "../DiffView.tsx";
import type { Snapshot } from "./useEditSession.ts";
import { publisherLabel, usePublisher } from "./usePublisher.ts";
import "./node.css";

export function ConflictPanel({
  path,
  from,
  theirs,
  draft,
  onRebase,
  onDiscard,
  discardLabel,
  inChange = false,
}: {
  path: string;
  from: Snapshot;
  theirs: Snapshot;
  draft: string;
  onRebase: () => void;
  /** without it, no discard is offered */
  onDiscard?: () => void;
  /** what dropping the edit means where the panel is shown (default: load their version) */
  discardLabel?: string;
  /** on a change's page: "you" published it elsewhere in the workflow, not "in another tab" */
  inChange?: boolean;
}) {
  const publisher = usePublisher(path, theirs);
  const mine = publisher.kind === "you" && !inChange;
  const who = inChange && publisher.kind === "you" ? "You, in another change or edit," : publisherLabel(publisher);
  return (
    <div className="conflict" data-testid="conflict">
      <div className="banner banner-warn" role="alert">
        <strong data-testid="conflict-publisher">
          {who} published version {theirs.version}
        </strong>{" "}
        while you were editing version {from.version}. Your edit was not published and nothing was overwritten.
      </div>
      <section className="conflict-section">
        <h3>{mine ? "Your change from the other tab" : "Their change"}</h3>
        <DiffView
          before={from.content}
          after={theirs.content}
          leftLabel={`version ${from.version} (you started here)`}
          rightLabel={`version ${theirs.version} (${mine ? "yours, from the other tab" : "theirs"}, live now)`}
          testId="their-change"
        />
      </section>
      <section className="conflict-section">
        <h3>{mine ? "Your change in this tab" : "Your change"}</h3>
        <DiffView
          before={from.content}
          after={draft}
          leftLabel={`version ${from.version}`}
          rightLabel="your edit"
          testId="your-change"
        />
      </section>
      <div className="conflict-actions">
        {onDiscard && (
          <button type="button" className="btn btn-ghost" onClick={onDiscard}>
            {discardLabel ?? `Discard my edit, load version ${String(theirs.version)}`}
          </button>
        )}
        <button type="button" className="btn btn-primary" data-testid="rebase-button" onClick={onRebase}>
          Re-apply my edit on top of version {theirs.version}
        </button>
      </div>
    </div>
  );
}
