/**
 * Content tab: edit with live validation -> review the diff against live -> publish with a
 * message (config.update with the version the edit started from). A CONFLICT answer opens the
 * conflict panel; nothing is ever overwritten silently.
 */
"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { coniferError, errorMessage } from "../../lib/errors.ts";
import { diffStats } from "../../lib/sidebyside.ts";
import { FORMAT_LABEL } from "@conifer/formats";
import { useCan } from "../../lib/me.ts";
import { useTRPC } from "../../lib/trpc.ts";
import type { NodeData } from "../../lib/types.ts";
import { validate } from "../../lib/validate.ts";
import { DiffView } from "../DiffView.tsx";
import { ConflictPanel } from "./ConflictPanel.tsx";
import { Editor } from "./Editor.tsx";
import { useEditSession, type Notice, type Snapshot } from "./useEditSession.ts";
import "../DiffView.css";
import "./node.css";

type Phase = { kind: "edit" } | { kind: "review" } | { kind: "conflict"; from: Snapshot; theirs: Snapshot };

export function ContentTab({ path, node }: { path: string; node: NodeData }) {
  const session = useEditSession(node);
  // without write permission the editor is read-only and no write control is offered at all
  const canWrite = useCan("write", path);
  const [phase, setPhase] = useState<Phase>({ kind: "edit" });
  const format = node.format;
  const validation = useMemo(() => validate(format, session.draft), [format, session.draft]);

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

  // a const the click handlers below can see narrowed
  const remote = session.remote;
  return (
    <div className="content-tab">
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
                  <button type="button" className="btn btn-ghost" onClick={() => session.discard()}>
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
                        : "Review the diff against live, then publish"
                  }
                  onClick={() => setPhase({ kind: "review" })}
                >
                  Review &amp; publish
                </button>
              </div>
            )}
          </div>
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

function NoticeBar({ notice, onDismiss }: { notice: Notice; onDismiss: () => void }) {
  const [show, setShow] = useState(false);
  const stats = useMemo(
    () => (notice.kind === "updated" ? diffStats(notice.from.content, notice.to.content) : null),
    [notice],
  );
  useEffect(() => setShow(false), [notice]);
  let text: ReactNode;
  let tone = "banner-info";
  switch (notice.kind) {
    case "updated":
      text = (
        <>
          Updated on the server: version {notice.from.version} → <strong>version {notice.to.version}</strong>
          {stats && (
            <span className="diff-stats">
              {" "}
              <span className="plus">+{stats.added}</span> <span className="minus">−{stats.removed}</span>
            </span>
          )}
        </>
      );
      break;
    case "published":
      tone = "banner-ok";
      text = <>Published version {notice.version}. Connected apps are being notified.</>;
      break;
    case "rebased":
      tone = notice.conflicts > 0 ? "banner-warn" : "banner-ok";
      text =
        notice.conflicts > 0 ? (
          <>
            Your edit was re-applied on top of version {notice.version}, but {notice.conflicts} place(s) changed on both
            sides: resolve the marked lines, then review and publish.
          </>
        ) : (
          <>Your edit was re-applied on top of version {notice.version}. Review the result and publish.</>
        );
      break;
    case "reloaded":
      text = <>Loaded version {notice.version} from the server; your edits were discarded.</>;
      break;
  }
  return (
    <div className={`banner ${tone}`} role="status" data-testid="notice">
      <div className="banner-row">
        <span>{text}</span>
        <span className="banner-actions">
          {notice.kind === "updated" && (
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setShow((s) => !s)}>
              {show ? "Hide change" : "Show change"}
            </button>
          )}
          <button type="button" className="icon-btn" aria-label="Dismiss" onClick={onDismiss}>
            ×
          </button>
        </span>
      </div>
      {show && notice.kind === "updated" && (
        <DiffView
          before={notice.from.content}
          after={notice.to.content}
          leftLabel={`version ${notice.from.version}`}
          rightLabel={`version ${notice.to.version}`}
        />
      )}
    </div>
  );
}

function Review({
  path,
  node,
  session,
  validationOk,
  onBack,
  onConflict,
  onDone,
}: {
  path: string;
  node: NodeData;
  session: ReturnType<typeof useEditSession>;
  validationOk: boolean;
  onBack: () => void;
  onConflict: (from: Snapshot, theirs: Snapshot) => void;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const canWrite = useCan("write", path);
  const queryClient = useQueryClient();
  const [message, setMessage] = useState("");
  const [error, setError] = useState<string | null>(null);
  const update = useMutation(trpc.config.update.mutationOptions());

  async function publish() {
    setError(null);
    const content = session.draft;
    const from = session.base;
    try {
      const res = await update.mutateAsync({
        path,
        content,
        expectedVersion: from.version,
        ...(message.trim() ? { message: message.trim() } : {}),
      });
      session.published(content, res.stat);
      onDone();
      void queryClient.invalidateQueries({ queryKey: trpc.config.get.queryKey({ path }) });
      void queryClient.invalidateQueries({ queryKey: trpc.history.list.queryKey({ path }) });
    } catch (err) {
      const c = coniferError(err);
      if (c?.code === "CONFLICT") {
        // a conflict carries the node as it is now, unless the writer could not read it
        const now = "currentVersion" in c.details ? c.details : null;
        onConflict(from, {
          content: now?.currentContent ?? "",
          version: now ? now.currentVersion : from.version + 1,
          mzxid: now?.currentStat?.mzxid ?? "0",
        });
        return;
      }
      setError(errorMessage(err));
    }
  }

  return (
    <div className="review" data-testid="review">
      <DiffView
        before={node.data}
        after={session.draft}
        leftLabel={<>Live · version {node.stat.version}</>}
        rightLabel={<>Your edit</>}
        testId="review-diff"
      />
      <form
        className="publish-form"
        onSubmit={(e) => {
          e.preventDefault();
          void publish();
        }}
      >
        <input
          className="input"
          aria-label="Publish message"
          placeholder="What changed and why (recorded in history)"
          value={message}
          maxLength={500}
          onChange={(e) => setMessage(e.target.value)}
          autoFocus
        />
        <div className="publish-actions">
          <button type="button" className="btn btn-ghost" onClick={onBack}>
            Back to editing
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            data-testid="publish-button"
            disabled={!validationOk || update.isPending || !canWrite}
            title={canWrite ? undefined : "Your role does not allow editing this path"}
          >
            {update.isPending ? "Publishing…" : `Publish version ${session.base.version + 1}`}
          </button>
        </div>
      </form>
      {error && (
        <div className="banner banner-bad" role="alert" data-testid="publish-error">
          Not published: {error}
        </div>
      )}
    </div>
  );
}
