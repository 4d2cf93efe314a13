/**
 * Who published a version the user ran into (a conflict, or a change that landed while they
 * reviewed): read from the path's history, matched on the version's mzxid. When it was the
 * signed-in user, the edit came from another tab or window of theirs, which "someone else" would
 * misdescribe.
 */
"use client";
import { useQuery } from "@tanstack/react-query";
import { useMe } from "../../lib/me.ts";
import { useTRPC } from "../../lib/trpc.ts";
import type { Snapshot } from "./useEditSession.ts";

export type Publisher =
  | { kind: "you" }
  | { kind: "user"; name: string }
  | { kind: "external" }
  /** a scheduled publish fired (the row names the change's author, who did not publish it now) */
  | { kind: "schedule"; name: string }
  /** history has no row for that version yet (it is being recorded) */
  | { kind: "unknown" };

const EXTERNAL = "external";

export function usePublisher(path: string, version: Snapshot | null): Publisher {
  const trpc = useTRPC();
  const me = useMe();
  const history = useQuery({
    ...trpc.history.list.queryOptions({ path, limit: 20 }),
    enabled: version !== null,
    // the row of a version just published may land a moment after the conflict is seen
    refetchInterval: (q) =>
      q.state.data?.items.some((e) => e.mzxid === version?.mzxid) || version === null ? false : 1_000,
  });
  const entry = history.data?.items.find((e) => e.mzxid === version?.mzxid && e.op !== "delete");
  if (!entry) return { kind: "unknown" };
  if (entry.source === EXTERNAL) return { kind: "external" };
  if (entry.source === "schedule") return { kind: "schedule", name: entry.author };
  if (me.data && entry.author === me.data.name) return { kind: "you" };
  return { kind: "user", name: entry.author };
}

/** "You, in another tab," / "bob" / ... as the subject of "published version N". */
export function publisherLabel(p: Publisher): string {
  switch (p.kind) {
    case "you":
      return "You, in another tab or window,";
    case "user":
      return p.name;
    case "external":
      return "A client outside Conifer";
    case "schedule":
      return `A scheduled publish (of ${p.name}'s change)`;
    case "unknown":
      return "Someone else";
  }
}
