/**
 * Counting approvals. An approval counts for the revision it was given on only (a change whose
 * content changed since needs approving again), the latest verdict of each reviewer wins, and
 * the change's author never counts. A standing request for changes blocks publishing.
 */
import type { ChangeRecord, ReviewRecord } from "@conifer/history";

export interface ApprovalState {
  required: number;
  approvers: string[];
  /** reviewers whose latest verdict on this revision asks for changes */
  changesRequestedBy: string[];
  met: boolean;
}

export function approvalState(
  change: Pick<ChangeRecord, "author" | "revision">,
  reviews: readonly ReviewRecord[],
  required: number,
): ApprovalState {
  const latest = new Map<string, ReviewRecord>();
  for (const r of reviews)
    if (r.revision === change.revision && r.reviewer !== change.author) latest.set(r.reviewer, r);
  const approvers = [...latest.values()].filter((r) => r.verdict === "approve").map((r) => r.reviewer);
  const changesRequestedBy = [...latest.values()].filter((r) => r.verdict !== "approve").map((r) => r.reviewer);
  return {
    required,
    approvers,
    changesRequestedBy,
    met: approvers.length >= required && changesRequestedBy.length === 0,
  };
}
