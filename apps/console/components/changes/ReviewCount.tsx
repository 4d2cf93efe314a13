/**
 * The count beside "Changes" in the top bar: changes in review that the user may approve and did
 * not write. Live: the server pushes `changeActivity` for changes on the user's prefixes and the
 * Providers refetch this, so a reviewer sees new work arrive without reloading or polling.
 */
"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../lib/trpc.ts";

export function ReviewCount() {
  const trpc = useTRPC();
  const waiting = useQuery({ ...trpc.changes.list.queryOptions({ reviewable: true }), retry: false });
  const n = waiting.data?.length ?? 0;
  if (n === 0) return null;
  return (
    <span className="nav-count" data-testid="review-count" aria-label={`${n} waiting for your review`}>
      {n}
    </span>
  );
}
