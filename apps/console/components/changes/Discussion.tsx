/** Reviews and comments on a change, oldest first, and a box to add a comment. */
"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { dateTime } from "../../lib/display.ts";
import { errorMessage } from "../../lib/errors.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { CommentBox } from "../CommentBox.tsx";
import type { ChangeViewData } from "./types.ts";

const VERDICT: Record<string, string> = {
  approve: "approved",
  request_changes: "requested changes",
  reject: "rejected",
};

export function Discussion({ view }: { view: ChangeViewData }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);
  const add = useMutation(trpc.changes.comment.mutationOptions());
  const entries = [
    ...view.reviews.map((r) => ({
      key: `r${r.id}`,
      at: r.at,
      who: r.reviewer,
      what: `${VERDICT[r.verdict] ?? r.verdict} revision ${r.revision}`,
      body: r.comment,
    })),
    ...view.comments.map((c) => ({ key: `c${c.id}`, at: c.at, who: c.author, what: "commented", body: c.body })),
  ].sort((a, b) => a.at - b.at);

  async function send() {
    setError(null);
    try {
      await add.mutateAsync({ id: view.change.id, body });
      setBody("");
      await queryClient.invalidateQueries({ queryKey: trpc.changes.get.queryKey({ id: view.change.id }) });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <section className="discussion" data-testid="discussion">
      <h2>Discussion</h2>
      {entries.length === 0 && <p className="muted">No reviews or comments yet.</p>}
      <ul className="discussion-list">
        {entries.map((e) => (
          <li key={e.key} data-testid="discussion-entry">
            <strong>{e.who}</strong> {e.what} <span className="muted">{dateTime(e.at)}</span>
            {e.body && <p>{e.body}</p>}
          </li>
        ))}
      </ul>
      <form
        className="discussion-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (body.trim()) void send();
        }}
      >
        <CommentBox label="Comment" placeholder="Add a comment" value={body} onChange={setBody} />
        <button type="submit" className="btn" disabled={!body.trim() || add.isPending}>
          Comment
        </button>
      </form>
      {error && (
        <div className="banner banner-bad" role="alert">
          {error}
        </div>
      )}
    </section>
  );
}
