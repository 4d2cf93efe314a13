/**
 * The typed tRPC client. The console imports only the router TYPE from @conifer/api; requests
 * go to `/trpc` on the same origin (the Conifer server hosts the console) with the session
 * cookie, the CSRF double-submit header (`x-csrf-token`, copied from the readable
 * `conifer_csrf` cookie) and the door they come through (`x-conifer-source`). A 401 means the
 * session is gone: the browser goes to the sign-in page.
 */
"use client";
import type { AppRouter } from "@conifer/api";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { csrfToken, goToLogin } from "./session.ts";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function makeTrpcClient() {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: "/trpc",
        headers() {
          const csrf = csrfToken();
          return { "x-conifer-source": "console", ...(csrf ? { "x-csrf-token": csrf } : {}) };
        },
        async fetch(url, init) {
          const res = await fetch(url, init);
          if (res.status === 401) goToLogin();
          return res;
        },
      }),
    ],
  });
}
