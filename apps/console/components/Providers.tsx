/**
 * Client-side providers: react-query + the typed tRPC context, and the live link that turns
 * tree events into query invalidations (so every open view refetches what moved), and change
 * request activity into refreshed change lists, review counts and change pages.
 */
"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";
import { parentOf } from "@conifer/coordinator/paths";
import { isSystemPath } from "@conifer/shared";
import { liveLink } from "../lib/socket.ts";
import { makeTrpcClient, TRPCProvider, useTRPC } from "../lib/trpc.ts";
import { errorCode } from "../lib/errors.ts";

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        refetchOnWindowFocus: false,
        // a missing node or a refused input will not fix itself by retrying
        retry: (count, err) => {
          const code = errorCode(err);
          if (code && code !== "BACKEND_UNAVAILABLE" && code !== "INTERNAL") return false;
          return count < 2;
        },
      },
    },
  });
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(makeTrpcClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <LiveInvalidation queryClient={queryClient} />
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}

function LiveInvalidation({ queryClient }: { queryClient: QueryClient }) {
  const trpc = useTRPC();
  useEffect(() => {
    // no session yet on the sign-in page: the socket would only be refused
    if (window.location.pathname === "/login") return;
    const link = liveLink();
    link.start();
    const offTree = link.onTree((e) => {
      const touched = new Set([e.path, parentOf(e.path)]);
      for (const path of touched) {
        void queryClient.invalidateQueries({ queryKey: trpc.tree.children.queryKey({ path }) });
      }
      void queryClient.invalidateQueries({ queryKey: trpc.config.get.queryKey({ path: e.path }) });
      void queryClient.invalidateQueries({ queryKey: trpc.history.list.queryKey({ path: e.path }) });
      if (e.path.startsWith("/conifer/instances"))
        void queryClient.invalidateQueries({ queryKey: trpc.instances.list.queryKey() });
      // an open change's page shows where its keys are live now (a key that moved is a conflict)
      else if (!isSystemPath(e.path)) void queryClient.invalidateQueries({ queryKey: trpc.changes.get.pathKey() });
    });
    // the server pushes only changes this user wrote or may approve
    const offChanges = link.onChangeActivity(
      () => void queryClient.invalidateQueries({ queryKey: trpc.changes.pathKey() }),
    );
    const offReconnect = link.onReconnect(() => void queryClient.invalidateQueries());
    return () => {
      offTree();
      offReconnect();
      offChanges();
    };
  }, [queryClient, trpc]);
  return null;
}
