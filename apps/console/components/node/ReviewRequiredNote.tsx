/**
 * What the create and delete dialogs say under a review policy: the direct action is disabled,
 * and the way forward is adding the create or delete to a change.
 */
"use client";
import type { PolicyState } from "./usePolicy.ts";

/** The disabled direct button's tooltip; undefined when the policy allows the direct action. */
export function reviewRequiredTitle(policy: PolicyState, what: string): string | undefined {
  return policy.reviewed ? `${policy.prefix ?? ""} needs review: add ${what} to a change` : undefined;
}

export function ReviewRequiredNote({ policy, what, testId }: { policy: PolicyState; what: string; testId: string }) {
  if (!policy.reviewed) return null;
  return (
    <p className="muted small" data-testid={testId}>
      {policy.prefix} needs review before anything goes live: add {what} to a change.
    </p>
  );
}
