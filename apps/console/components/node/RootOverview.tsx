/** The root node's page: what is in the tree, or how to start when it is empty. */
"use client";
import { useQuery } from "@tanstack/react-query";
import { errorMessage } from "../../lib/errors.ts";
import { isSystemPath } from "@conifer/shared";
import { useTRPC } from "../../lib/trpc.ts";
import { useWorkspace } from "../tree/Workspace.tsx";
import { ChildCards } from "./ChildCards.tsx";
import "./node.css";

export function RootOverview({ onCreate }: { onCreate: () => void }) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  // system subtrees come only when an admin switched them on (the server leaves them out otherwise)
  const q = useQuery(trpc.tree.children.queryOptions({ path: "/", includeSystem: ws.showSystem }));
  if (q.isPending) return <div className="skeleton">Loading…</div>;
  if (q.isError) return <div className="panel-error">{errorMessage(q.error)}</div>;
  const user = q.data.children.filter((c) => !isSystemPath(c.path));
  const system = q.data.children.filter((c) => isSystemPath(c.path));
  if (user.length === 0) {
    return (
      <div className="empty-state" data-testid="empty-tree">
        <h2>Create your first config</h2>
        <p>
          Configs are nodes in a tree, named like files: <code>/payments/prod/limits.json</code>. The suffix picks the
          format (.json, .yaml, .properties, .toml; anything else is text) and turns on validation.
        </p>
        <button type="button" className="btn btn-primary" onClick={onCreate}>
          + Create a config
        </button>
        <p className="muted small">
          Applications then read it with the SDK:{" "}
          <code>createClient({"{ url }"}).watch(&quot;/payments/prod/limits.json&quot;, …)</code>
        </p>
      </div>
    );
  }
  return (
    <div className="overview">
      <h2 className="section-title">Top-level nodes</h2>
      <ChildCards nodes={[...user, ...system]} label="path" />
    </div>
  );
}

/** The children of a node as cards: quick navigation, especially on narrow screens. */
export function ChildrenList({ path }: { path: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.tree.children.queryOptions({ path }));
  if (!q.data || q.data.children.length === 0) return null;
  return (
    <section className="children-section overview">
      <h2 className="section-title">Children</h2>
      <ChildCards nodes={q.data.children} showVersion />
    </section>
  );
}
