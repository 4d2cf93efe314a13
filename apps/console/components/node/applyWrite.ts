/**
 * Puts a write's answer (the node as it now is, and its new history row) straight into the
 * query cache, then refetches in the background to catch anything else: the screen shows the
 * new version the moment the mutation answers, not after a refetch or a socket event.
 */
"use client";
import { useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useTRPC } from "../../lib/trpc.ts";
import type { HistoryItem, NodeData, RouterOutputs } from "../../lib/types.ts";

type HistoryPage = RouterOutputs["history"]["list"];

export function useApplyWrite() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return (path: string, node: NodeData | null, entry: HistoryItem | null) => {
    if (node) queryClient.setQueryData(trpc.config.get.queryKey({ path }), node);
    if (entry) {
      queryClient.setQueriesData<InfiniteData<HistoryPage>>(
        { queryKey: trpc.history.list.infiniteQueryKey({ path }) },
        (old) => {
          const first = old?.pages[0];
          if (!old || !first || first.items.some((i) => i.id === entry.id)) return old;
          return { ...old, pages: [{ ...first, items: [entry, ...first.items] }, ...old.pages.slice(1)] };
        },
      );
    }
    void queryClient.invalidateQueries({ queryKey: trpc.config.get.queryKey({ path }) });
    void queryClient.invalidateQueries({ queryKey: trpc.history.list.queryKey({ path }) });
  };
}
