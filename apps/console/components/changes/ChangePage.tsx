/**
 * One change request (issue 14): title, message, author, status, the combined diff of every key
 * (base → proposed, and live → proposed where live moved since the draft began), reviews and
 * comments, and the actions the user may take. Live: a review or publish is pushed to the author
 * (`changeActivity`) and a key moving is a tree event; the Providers refetch this page on both.
 */
"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { dateTime } from "../../lib/display.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { PageHeader } from "../PageHeader.tsx";
import { ChangeActions } from "./ChangeActions.tsx";
import { ChangeDiffs } from "./ChangeDiffs.tsx";
import { Discussion } from "./Discussion.tsx";
import { SchedulePublish } from "./SchedulePublish.tsx";
import { StatusBadge } from "./StatusBadge.tsx";
import "../DiffView.css";
import "./changes.css";

export function ChangePage({ id }: { id: string }) {
  const trpc = useTRPC();
  const view = useQuery(trpc.changes.get.queryOptions({ id }));
  if (view.error) return <ErrorAlert error={view.error} />;
  if (!view.data) return <p className="muted">Loading change {id}…</p>;
  const { change, approvals } = view.data;
  return (
    <div className="page" data-testid="change-page">
      <p className="muted">
        <Link href="/changes">← Changes</Link>
      </p>
      <PageHeader
        title={`#${change.id} ${change.title}`}
        description={
          <>
            by <strong data-testid="change-author">{change.author}</strong> · revision {change.revision} · updated{" "}
            {dateTime(change.updatedAt)}
          </>
        }
      >
        <StatusBadge status={change.status} />
      </PageHeader>
      {change.message && <p className="change-message">{change.message}</p>}
      <p className="muted" data-testid="change-approvals">
        {approvals.required === 0
          ? "No approval required by the policy."
          : `${approvals.approvers.length} of ${approvals.required} approval(s)` +
            (approvals.approvers.length ? `: ${approvals.approvers.join(", ")}` : "")}
      </p>
      <ChangeActions view={view.data} />
      <SchedulePublish view={view.data} />
      <ChangeDiffs view={view.data} />
      <Discussion view={view.data} />
    </div>
  );
}
