/**
 * A release item's link to the key's history version it wrote. Release items know znode
 * versions, history rows are opened by their own id: the key's recent history is asked for the
 * row carrying this release (falling back to the history tab when it is older than one page).
 */
"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { nodeHref } from "../../lib/paths.ts";
import { useTRPC } from "../../lib/trpc.ts";

export function KeyHistoryLink({ path, releaseId, label }: { path: string; releaseId: string; label: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.history.list.queryOptions({ path, limit: 100 }));
  const row = q.data?.items.find((i) => i.releaseId === releaseId);
  const href = `${nodeHref(path)}?tab=history${row ? `&version=${row.id}` : ""}`;
  return (
    <Link href={href} data-testid="release-key-history">
      {label}
    </Link>
  );
}
