/**
 * Rows of the znode tree; each expanded row loads its children on demand (tree.children). The
 * server answers what this user may see, counts included, and system subtrees only on request.
 */
"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { errorMessage } from "../../lib/errors.ts";
import { isSystemPath } from "@conifer/shared";
import { nodeHref } from "../../lib/paths.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { useWorkspace } from "./Workspace.tsx";
import { KindBadges } from "../KindBadges.tsx";
import "./tree.css";

interface RowProps {
  focusPath: string;
  onFocusPath: (path: string) => void;
}

export function TreeRoot(props: RowProps) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const root = useQuery(trpc.tree.children.queryOptions({ path: "/", includeSystem: ws.showSystem }));
  return (
    <Row
      {...props}
      path="/"
      name="/"
      level={1}
      numChildren={root.data ? root.data.children.length : 1}
      kind="persistent"
      sequential={false}
    />
  );
}

function Branch({ path, level, ...props }: RowProps & { path: string; level: number }) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const q = useQuery(trpc.tree.children.queryOptions({ path, includeSystem: ws.showSystem }));
  if (q.isPending) {
    return (
      <li role="none" className="tree-note" style={{ paddingLeft: indent(level) }}>
        Loading…
      </li>
    );
  }
  if (q.isError) {
    return (
      <li role="none" className="tree-note tree-note-error" style={{ paddingLeft: indent(level) }}>
        {errorMessage(q.error)}
      </li>
    );
  }
  const children = q.data.children;
  if (children.length === 0) {
    return (
      <li role="none" className="tree-note" style={{ paddingLeft: indent(level) }}>
        No children
      </li>
    );
  }
  return (
    <>
      {children.map((c) => (
        <Row
          key={c.path}
          {...props}
          path={c.path}
          name={c.name}
          level={level}
          numChildren={c.stat.numChildren}
          kind={c.kind}
          sequential={c.sequential}
        />
      ))}
    </>
  );
}

function indent(level: number): string {
  return `${8 + (level - 1) * 14}px`;
}

function Row({
  path,
  name,
  level,
  numChildren,
  kind,
  sequential,
  focusPath,
  onFocusPath,
}: RowProps & { path: string; name: string; level: number; numChildren: number; kind: string; sequential: boolean }) {
  const ws = useWorkspace();
  const hasChildren = numChildren > 0;
  const expanded = hasChildren && ws.expanded.has(path);
  const selected = ws.selected === path;
  const system = isSystemPath(path);
  return (
    <li role="none">
      <Link
        href={nodeHref(path)}
        role="treeitem"
        aria-level={level}
        aria-expanded={hasChildren ? expanded : undefined}
        aria-selected={selected}
        tabIndex={focusPath === path ? 0 : -1}
        data-path={path}
        className={"tree-row" + (selected ? " selected" : "") + (system ? " system" : "")}
        style={{ paddingLeft: indent(level) }}
        onFocus={() => onFocusPath(path)}
        onDoubleClick={() => hasChildren && ws.toggle(path)}
      >
        <span
          className={"caret" + (hasChildren ? "" : " caret-empty") + (expanded ? " open" : "")}
          aria-hidden="true"
          onClick={(e) => {
            if (!hasChildren) return;
            e.preventDefault();
            e.stopPropagation();
            ws.toggle(path);
          }}
        >
          ▸
        </span>
        <span className="tree-name">{name}</span>
        <KindBadges kind={kind} sequential={sequential} system={system && path.split("/").length === 2} />
        {hasChildren && (
          <span className="tree-count" title={`${numChildren} children`}>
            {numChildren}
          </span>
        )}
      </Link>
      {expanded && (
        <ul role="group">
          <Branch path={path} level={level + 1} focusPath={focusPath} onFocusPath={onFocusPath} />
        </ul>
      )}
    </li>
  );
}
