/**
 * The publish policy that governs a path (issue 14): under `review` nothing goes live directly,
 * so the editor and the create / delete dialogs offer "Add to a change" as the only way forward.
 */
"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../lib/trpc.ts";

export interface PolicyState {
  /** false while the policy is being read: direct actions wait for it */
  known: boolean;
  reviewed: boolean;
  prefix: string | null;
}

export function usePolicy(path: string): PolicyState {
  const trpc = useTRPC();
  const policy = useQuery(trpc.releases.policyOf.queryOptions({ path }));
  return {
    known: !!policy.data,
    reviewed: policy.data?.mode === "review",
    prefix: policy.data?.prefix ?? null,
  };
}
