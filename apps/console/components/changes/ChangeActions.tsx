/**
 * What the signed-in user may do with a change: the author submits and withdraws; another
 * publisher approves or requests changes (the author is told why they cannot); an approved
 * change is published as one release. A publish refused because keys moved lists those keys.
 */
"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { coniferError, errorMessage } from "../../lib/errors.ts";
import { useMe } from "../../lib/me.ts";
import { isWithin } from "@conifer/coordinator/paths";
import { nodeHref } from "../../lib/paths.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { CommentBox } from "../CommentBox.tsx";
import type { ChangeViewData } from "./types.ts";

const OPEN = ["draft", "in_review", "approved", "conflicted"];

export function ChangeActions({ view }: { view: ChangeViewData }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useMe();
  const { change } = view;
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [conflicts, setConflicts] = useState<string[]>([]);
  const [released, setReleased] = useState<{ zxid: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.changes.pathKey() });
  const submit = useMutation(trpc.changes.submit.mutationOptions({ onSettled: refresh }));
  const review = useMutation(trpc.changes.review.mutationOptions({ onSettled: refresh }));
  const withdraw = useMutation(trpc.changes.withdraw.mutationOptions({ onSettled: refresh }));
  const publish = useMutation(trpc.changes.publish.mutationOptions({ onSettled: refresh }));
  const busy = submit.isPending || review.isPending || withdraw.isPending || publish.isPending;

  const isAuthor = me.data?.name === change.author;
  // approving and publishing both need the publisher role on every key of the change
  const mayPublish = change.items.every((i) => (me.data?.permissions.publish ?? []).some((p) => isWithin(i.path, p)));
  const open = OPEN.includes(change.status);
  const reviewable = change.status === "in_review" || change.status === "approved";

  async function run(action: () => Promise<unknown>) {
    setError(null);
    setConflicts([]);
    try {
      await action();
    } catch (err) {
      const c = coniferError(err);
      if (c?.code === "CONFLICT" && "conflicts" in c.details && c.details.conflicts.length > 0)
        setConflicts(c.details.conflicts);
      setError(errorMessage(err));
    }
  }

  if (!open)
    return (
      <div
        className={change.status === "published" ? "banner banner-ok" : "banner banner-info"}
        role="status"
        data-testid={change.status === "published" ? "change-published" : "change-closed"}
      >
        This change is {change.status.replace("_", " ")}.
        {change.releaseId && <> Published as release #{change.releaseId}.</>}
        {released && <> All its keys went live together at zxid {released.zxid}.</>}
      </div>
    );

  return (
    <section className="change-actions" data-testid="change-actions">
      <div className="change-buttons">
        {isAuthor && change.status === "draft" && (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="submit-change"
            disabled={busy}
            onClick={() => void run(() => submit.mutateAsync({ id: change.id }))}
          >
            Submit for review
          </button>
        )}
        {reviewable && !isAuthor && mayPublish && (
          <>
            <CommentBox
              label="Review comment"
              placeholder="Comment with your review (optional)"
              value={comment}
              onChange={setComment}
            />
            <button
              type="button"
              className="btn btn-primary"
              data-testid="approve-change"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  await review.mutateAsync({ id: change.id, verdict: "approve", ...(comment ? { comment } : {}) });
                  setComment("");
                })
              }
            >
              Approve
            </button>
            <button
              type="button"
              className="btn"
              data-testid="request-changes"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  await review.mutateAsync({
                    id: change.id,
                    verdict: "request_changes",
                    ...(comment ? { comment } : {}),
                  });
                  setComment("");
                })
              }
            >
              Request changes
            </button>
          </>
        )}
        {change.status === "approved" && mayPublish && (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="publish-change"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                const r = await publish.mutateAsync({ id: change.id });
                setReleased({ zxid: String(r.zxid) });
              })
            }
          >
            {publish.isPending ? "Publishing…" : `Publish ${change.items.length} key(s) as one release`}
          </button>
        )}
        {isAuthor && (
          <button
            type="button"
            className="btn btn-danger-ghost"
            data-testid="withdraw-change"
            disabled={busy}
            onClick={() => void run(() => withdraw.mutateAsync({ id: change.id }))}
          >
            Withdraw
          </button>
        )}
      </div>
      {isAuthor && reviewable && (
        <p className="muted" data-testid="own-change-note">
          You wrote this change, so you cannot approve it: another publisher on these keys has to review it.
        </p>
      )}
      {!isAuthor && reviewable && !mayPublish && (
        <p className="muted" data-testid="no-approve-note">
          Approving needs the publisher role on every key of this change.
        </p>
      )}
      {error && (
        <div className="banner banner-bad" role="alert" data-testid="change-error">
          {error}
          {conflicts.length > 0 && (
            <ul data-testid="change-conflicts">
              {conflicts.map((p) => (
                <li key={p}>
                  <Link href={nodeHref(p)}>{p}</Link> changed since the draft began
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {change.status === "conflicted" && change.conflicts.length > 0 && !error && (
        <div className="banner banner-warn" role="status" data-testid="change-conflicted">
          The last publish was refused: these keys moved since the draft began: {change.conflicts.join(", ")}.
          {isAuthor
            ? " Rebase each of them onto its live version below."
            : ` ${change.author} can rebase them onto their live versions.`}
        </div>
      )}
    </section>
  );
}
