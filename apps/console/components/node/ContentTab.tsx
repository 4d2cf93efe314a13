/**
 * Content tab: edit with live validation -> review the diff against live -> publish with a
 * message (config.update with the version the edit started from). A CONFLICT answer opens the
 * conflict panel; nothing is ever overwritten silently.
 */
"use client";
import { useEffect, useMemo, useRef, useState } from "react";
import { FORMAT_LABEL, type Format } from "@conifer/formats";
import { useCan } from "../../lib/me.ts";
import type { NodeData } from "../../lib/types.ts";
import { validate } from "../../lib/validate.ts";
import { ConflictPanel } from "./ConflictPanel.tsx";
import { Editor } from "./Editor.tsx";
import { NoticeBar } from "./NoticeBar.tsx";
import { OpenChanges } from "./OpenChanges.tsx";
import { AddedToChange } from "./AddToChange.tsx";
import { Review } from "./Review.tsx";
import { useEditSession, type Snapshot } from "./useEditSession.ts";
import { usePolicy } from "./usePolicy.ts";
import "../DiffView.css";
import "./node.css";

type Phase = { kind: "edit" } | { kind: "review" } | { kind: "conflict"; from: Snapshot; theirs: Snapshot };

export function ContentTab({ path, node }: { path: string; node: NodeData }) {
  const session = useEditSession(path, node);
  // without write permission the editor is read-only and no write control is offered at all
  const canWrite = useCan("write", path);
  // under a review policy the edit cannot go live from here: it is proposed in a change
  const { reviewed } = usePolicy(path);
  const [phase, setPhase] = useState<Phase>({ kind: "edit" });
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const [added, setAdded] = useState<{ id: string; title: string } | null>(null);
  const format: Format = node.format;
  const remote = session.remote;
  const validation = useMemo(() => validate(format, session.draft), [format, session.draft]);
  const tabRef = useRef<HTMLDivElement>(null);
  const canReview = canWrite && session.dirty && validation.ok && phase.kind === "edit";

  // Ctrl/Cmd+S opens the review, as "save" does in an editor; never the browser's save-page dialog
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== "s" || e.altKey || e.shiftKey) return;
      // kept mounted under the History and Stat tabs: only the tab on screen answers
      if (!tabRef.current?.offsetParent) return;
      e.preventDefault();
      if (canReview) setPhase({ kind: "review" });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [canReview]);

  if (node.encoding === "base64") {
    return (
      <div className="empty-state">
        <h2>Binary content</h2>
        <p>This node holds {node.stat.dataLength} bytes that are not UTF-8 text, so they cannot be edited here.</p>
      </div>
    );
  }

  if (phase.kind === "conflict") {
    return (
      <ConflictPanel
        path={path}
        from={phase.from}
        theirs={phase.theirs}
        draft={session.draft}
        onRebase={() => {
          const conflicts = session.rebase(phase.from, phase.theirs);
          setPhase(conflicts > 0 ? { kind: "edit" } : { kind: "review" });
        }}
        onDiscard={() => {
          session.reload(phase.theirs);
          setPhase({ kind: "edit" });
        }}
      />
    );
  }

  return (
    <div className="content-tab" ref={tabRef}>
      {remote && (
        <div className="banner banner-warn banner-row" role="status" data-testid="remote-banner">
          <span>
            Changed on the server to <strong>version {remote.version}</strong> while you were editing. Your edits are
            kept.
          </span>
          <span className="banner-actions">
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setPhase({ kind: "conflict", from: session.base, theirs: remote })}
            >
              Review their change
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => session.reload(remote)}>
              Discard mine &amp; reload
            </button>
          </span>
        </div>
      )}
      <OpenChanges path={path} />
      {added && <AddedToChange change={added} onDismiss={() => setAdded(null)} />}
      {session.notice && <NoticeBar notice={session.notice} onDismiss={() => session.setNotice(null)} />}

      {phase.kind === "review" ? (
        <Review
          path={path}
          node={node}
          session={session}
          validationOk={validation.ok}
          onBack={() => setPhase({ kind: "edit" })}
          onConflict={(from, theirs) => setPhase({ kind: "conflict", from, theirs })}
          onDone={() => setPhase({ kind: "edit" })}
          onAdded={(change) => {
            session.discard();
            setAdded(change);
            setPhase({ kind: "edit" });
          }}
        />
      ) : (
        <>
          <Editor
            label={`Content of ${path}`}
            value={session.draft}
            format={format}
            onChange={session.setDraft}
            readOnly={!canWrite}
            errorLine={validation.ok ? null : validation.line}
            minHeight="320px"
            maxHeight="calc(100dvh - 300px)"
          />
          <div className="editor-status">
            <div
              className={validation.ok ? "validation ok" : "validation bad"}
              data-testid="validation"
              role={validation.ok ? undefined : "alert"}
            >
              {validation.ok ? (
                <>✓ Valid {FORMAT_LABEL[format]}</>
              ) : (
                <>
                  ✕ {validation.message}
                  {validation.line !== null && !validation.message.includes("line") && (
                    <span className="muted">
                      {" "}
                      (line {validation.line}
                      {validation.column !== null ? `, column ${validation.column}` : ""})
                    </span>
                  )}
                </>
              )}
            </div>
            {!canWrite && (
              <div className="muted" data-testid="read-only">
                Read only: your role does not allow editing {path}.
              </div>
            )}
            {canWrite && (
              <div className="editor-actions">
                {session.dirty && <span className="muted unsaved">Unsaved changes</span>}
                {session.dirty && (
                  <button type="button" className="btn btn-ghost" onClick={() => setConfirmDiscard(true)}>
                    Discard
                  </button>
                )}
                <button
                  type="button"
                  className="btn btn-primary"
                  data-testid="review-button"
                  disabled={!session.dirty || !validation.ok}
                  title={
                    !validation.ok
                      ? `Fix the content first: ${validation.message}`
                      : !session.dirty
                        ? "Edit the content to publish a new version"
                        : reviewed
                          ? "Review the diff against live, then propose it in a change (Ctrl+S)"
                          : "Review the diff against live, then publish (Ctrl+S)"
                  }
                  onClick={() => setPhase({ kind: "review" })}
                >
                  {reviewed ? "Review & propose" : "Review & publish"}
                </button>
              </div>
            )}
          </div>
          {confirmDiscard && session.dirty && (
            <div className="banner banner-warn banner-row" role="alertdialog" data-testid="confirm-discard">
              <span>Discard your unsaved edits to {path}? They cannot be brought back.</span>
              <span className="banner-actions">
                <button
                  type="button"
                  className="btn btn-small btn-danger-ghost"
                  onClick={() => {
                    session.discard();
                    setConfirmDiscard(false);
                  }}
                >
                  Discard my edits
                </button>
                <button type="button" className="btn btn-small" onClick={() => setConfirmDiscard(false)} autoFocus>
                  Keep editing
                </button>
              </span>
            </div>
          )}
          {canWrite && !validation.ok && session.dirty && (
            <p className="refused" data-testid="publish-refused">
              Publishing is disabled until the content is valid {FORMAT_LABEL[format]}.
            </p>
          )}
        </>
      )}
    </div>
  );
}
