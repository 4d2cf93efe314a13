/**
 * Who is signed in and what they may do (auth.me), so screens hide what the server would
 * refuse anyway. The server enforces; this only keeps buttons honest.
 */
"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "./trpc.ts";

export type Action = "read" | "write" | "propose" | "publish" | "admin";

function within(path: string, prefix: string): boolean {
  return prefix === "/" || path === prefix || path.startsWith(prefix + "/");
}

export function useMe() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.auth.me.queryOptions(), staleTime: 60_000 });
}

/** True while unknown (the server still refuses), false when the user lacks the permission. */
export function useCan(action: Action, path = "/"): boolean {
  const me = useMe();
  if (!me.data) return true;
  const target = action === "admin" ? "/" : path;
  return me.data.permissions[action].some((prefix) => within(target, prefix));
}

/**
 * Where a user who may not read "/" starts: the first of their readable prefixes (null when "/"
 * is readable, nothing is, or auth.me is not known yet), so a scoped user lands on what they
 * may read rather than on a refusal.
 */
export function useLandingPath(): string | null {
  const me = useMe();
  if (!me.data) return null;
  const read = me.data.permissions.read;
  if (read.some((prefix) => within("/", prefix))) return null;
  return [...read].sort()[0] ?? null;
}
