/**
 * A folder: a node with children and no content of its own (`/payments`, `/payments/prod`).
 * It is shown as what it is, its children, rather than as an empty text config with a publish
 * button; an editor may still give it content on purpose.
 */
"use client";
import { plural } from "../../lib/display.ts";
import { ChildrenList } from "./RootOverview.tsx";
import "./node.css";

export function FolderView({
  path,
  numChildren,
  onAddContent,
}: {
  path: string;
  numChildren: number;
  onAddContent?: () => void;
}) {
  return (
    <div className="folder-view" data-testid="folder-view">
      <p className="muted folder-note">
        A folder with {plural(numChildren, "child", "children")} and no content of its own.
        {onAddContent && (
          <>
            {" "}
            <button type="button" className="btn btn-small btn-ghost" onClick={onAddContent}>
              Give it content
            </button>
          </>
        )}
      </p>
      <ChildrenList path={path} />
    </div>
  );
}

/** Children and no bytes: a folder (a node with content, even empty-looking whitespace, is a config). */
export function isFolder(stat: { numChildren: number; dataLength: number }): boolean {
  return stat.numChildren > 0 && stat.dataLength === 0;
}
