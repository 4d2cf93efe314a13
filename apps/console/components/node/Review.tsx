/**
 * Review the diff against live and publish it, with a message; a conflict goes back to the caller.
 * When a newer version went live while the user was here, publishing would be refused: the
 * primary action then compares with that version instead of offering a doomed publish.
 */
"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { coniferError, errorMessage } from "../../lib/errors.ts";
import { useCan } from "../../lib/me.ts";
import { useTRPC } from "../../lib/trpc.ts";
import type { NodeData } from "../../lib/types.ts";
import { CommentBox } from "../CommentBox.tsx";
import { DiffView } from "../DiffView.tsx";
import { AddToChange } from "./AddToChange.tsx";
import type { EditSession, Snapshot } from "./useEditSession.ts";
import { usePolicy } from "./usePolicy.ts";
import { publisherLabel, usePublisher } from "./usePublisher.ts";

export function Review({
  path,
  node,
  session,
  validationOk,
  onBack,
  onConflict,
  onDone,
  onAdded,
}: {
  path: string;
  node: NodeData;
  session: EditSession;
  validationOk: boolean;
  onBack: () => void;
  onConflict: (from: Snapshot, theirs: Snapshot) => void;
  onDone: () => void;
  onAdded: (change: { id: string; title: string }) => void;
}) {
  const trpc = useTRPC();
  const canWrite = useCan("write", path);
  const queryClient = useQueryClient();
  const [message, setMessage] = useState("");
  const [error, setError] = useState<string | null>(null);
  const update = useMutation(trpc.config.update.mutationOptions());
  // under a `review` policy a save cannot go live: the edit goes into a change request instead
  const policy = usePolicy(path);
  const reviewed = policy.reviewed;
  const moved = session.remote;
  const publisher = usePublisher(path, moved);
  const rootRef = useRef<HTMLDivElement>(null);
  // one publish at a time: Ctrl+Enter in the message field may also submit the form
  const publishing = useRef(false);
  // a newer live version makes a publish doomed: the shortcut then does nothing either
  const canPublish = validationOk && canWrite && !update.isPending && !moved && policy.known && !reviewed;

  // Ctrl/Cmd+Enter publishes from anywhere in the review
  const publishRef = useRef<() => void>(() => {});
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.key !== "Enter" || !rootRef.current?.offsetParent) return;
      e.preventDefault();
      if (canPublish) publishRef.current();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [canPublish]);

  async function publish() {
    if (publishing.current) return;
    publishing.current = true;
    try {
      await publishOnce();
    } finally {
      publishing.current = false;
    }
  }
  useEffect(() => {
    publishRef.current = () => void publish();
  });

  async function publishOnce() {
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
    <div className="review" data-testid="review" ref={rootRef}>
      {moved && (
        <div className="banner banner-warn" role="alert" data-testid="review-moved">
          {publisherLabel(publisher)} published <strong>version {moved.version}</strong> while you were editing version{" "}
          {session.base.version}. Compare with it and re-apply your edit before publishing.
        </div>
      )}
      {reviewed && (
        <p className="muted" data-testid="review-policy">
          {policy.prefix} needs review before publishing: add this edit to a change and submit it.
        </p>
      )}
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
          if (canPublish) void publish();
        }}
      >
        <CommentBox
          label="Publish message"
          placeholder="What changed and why (recorded in history)"
          value={message}
          onChange={setMessage}
          maxLength={500}
          autoFocus
        />
        <div className="publish-actions">
          <button type="button" className="btn btn-ghost" onClick={onBack}>
            Back to editing
          </button>
          {reviewed ? null : moved ? (
            <button
              type="button"
              className="btn btn-primary"
              data-testid="compare-moved"
              onClick={() => onConflict(session.base, moved)}
            >
              Compare with version {moved.version}
            </button>
          ) : (
            <button
              type="submit"
              className="btn btn-primary"
              data-testid="publish-button"
              disabled={!canPublish}
              title={canWrite ? "Publish (Ctrl+Enter)" : "Your role does not allow editing this path"}
            >
              {update.isPending ? "Publishing…" : `Publish version ${session.base.version + 1}`}
            </button>
          )}
        </div>
      </form>
      {!moved && (
        <AddToChange
          item={{ path, op: "update", content: session.draft, baseVersion: session.base.version }}
          message={message}
          disabled={!validationOk}
          // under review this is the review step's final action: named for what it does
          primary={reviewed}
          label={reviewed ? "Propose in a change" : "Add to a change"}
          onAdded={onAdded}
        />
      )}
      {error && (
        <div className="banner banner-bad" role="alert" data-testid="publish-error">
          Not published: {error}
        </div>
      )}
    </div>
  );
}
