/**
 * A node the user may not read but passes through on the way to what they may (a viewer of
 * /payments/staging on /payments): shown as plain navigation, its children as the server lists
 * them for this user, with no content and no error. A path off every way is refused as before.
 */
"use client";
import { useQuery } from "@tanstack/react-query";
import { errorMessage } from "../../lib/errors.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { useWorkspace } from "../tree/Workspace.tsx";
import { ChildCards } from "./ChildCards.tsx";
import "./node.css";

export function BranchView({ path }: { path: string }) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const q = useQuery(trpc.tree.children.queryOptions({ path, includeSystem: ws.showSystem }));
  if (q.isPending) return <div className="skeleton">Loading…</div>;
  if (q.isError) {
    return (
      <div className="panel-error" role="alert">
        <strong>Could not load {path}</strong>
        <p>{errorMessage(q.error)}</p>
      </div>
    );
  }
  return (
    <section className="overview" data-testid="branch-view">
      <p className="muted">The way to what you may read. Open one of these:</p>
      <ChildCards nodes={q.data.children} />
    </section>
  );
}
