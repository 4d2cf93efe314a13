/** Nodes as cards linking to their pages: a folder's children, a branch on the way, the top level. */
"use client";
import Link from "next/link";
import { isSystemPath } from "@conifer/shared";
import { plural } from "../../lib/display.ts";
import { nodeHref } from "../../lib/paths.ts";
import "./node.css";

interface Card {
  path: string;
  name: string;
  format: string;
  stat: { numChildren: number; version: number };
}

export function ChildCards({
  nodes,
  label = "name",
  showVersion = false,
}: {
  nodes: readonly Card[];
  /** "path" on the top level, where name and path are the same but the slash reads better */
  label?: "name" | "path";
  /** a leaf's version beside its format */
  showVersion?: boolean;
}) {
  return (
    <ul className="card-list">
      {nodes.map((c) => (
        <li key={c.path}>
          <Link href={nodeHref(c.path)} className="card-link">
            <span className="mono">{label === "path" ? c.path : c.name}</span>
            <span className="muted small">
              {c.stat.numChildren > 0
                ? plural(c.stat.numChildren, "child", "children")
                : showVersion
                  ? `${c.format} · version ${c.stat.version}`
                  : c.format}
            </span>
            {isSystemPath(c.path) && <span className="badge badge-sys">system</span>}
          </Link>
        </li>
      ))}
    </ul>
  );
}
