/**
 * The typed tRPC client. The console imports only the router TYPE from @conifer/api; requests
 * go to `/trpc` on the same origin (the Conifer server hosts the console), and every request
 * carries who is acting (`x-conifer-author`) and through which door (`x-conifer-source`).
 */
"use client";
import type { AppRouter } from "@conifer/api";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { getAuthor } from "./author.ts";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function makeTrpcClient() {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: "/trpc",
        headers() {
          const author = getAuthor();
          return {
            "x-conifer-source": "console",
            ...(author ? { "x-conifer-author": author } : {}),
          };
        },
      }),
    ],
  });
}
