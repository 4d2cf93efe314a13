/** A change request's status as a badge: green when publishable, amber when it needs attention. */
import type { ChangeStatus } from "./types.ts";

const CLASS: Partial<Record<ChangeStatus, string>> = {
  approved: "badge badge-ok",
  published: "badge badge-ok",
  conflicted: "badge badge-warn",
  in_review: "badge badge-warn",
};

export function StatusBadge({ status }: { status: ChangeStatus }) {
  return (
    <span className={CLASS[status] ?? "badge"} data-testid="change-status">
      {status.replace("_", " ")}
    </span>
  );
}
