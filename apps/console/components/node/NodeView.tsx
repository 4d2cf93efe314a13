/**
 * The main pane for one znode: breadcrumbs, kind / format markers, actions (new child, delete)
 * and the Content / History / Stat tabs. Handles missing nodes and server errors in place.
 */
"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useCan } from "../../lib/me.ts";
import { useUrlParams } from "../../lib/urlState.ts";
import { dateTime, plural, relativeTime } from "../../lib/display.ts";
import { errorCode, errorMessage } from "../../lib/errors.ts";
import { baseName, parentOf } from "@conifer/coordinator/paths";
import { isSystemPath } from "@conifer/shared";
import { nodeHref } from "../../lib/paths.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { ErrorBoundary } from "../ErrorBoundary.tsx";
import { KindBadges } from "../KindBadges.tsx";
import { useWorkspace } from "../tree/Workspace.tsx";
import { ContentTab } from "./ContentTab.tsx";
import { CreateChildDialog } from "./CreateChildDialog.tsx";
import { DeleteDialog } from "./DeleteDialog.tsx";
import { HistoryTab } from "./HistoryTab.tsx";
import { RestoreDialog } from "./RestoreDialog.tsx";
import { BranchView } from "./BranchView.tsx";
import { FolderView, isFolder } from "./FolderView.tsx";
import { ChildrenList, RootOverview } from "./RootOverview.tsx";
import { StatPanel } from "./StatPanel.tsx";
import { SystemNotice } from "./SystemNotice.tsx";
import "../tree/tree.css";
import "./node.css";

type Tab = "content" | "history" | "stat";
const TABS: readonly Tab[] = ["content", "history", "stat"];

export function NodeView({ path }: { path: string }) {
  const canWrite = useCan("write", path);
  const trpc = useTRPC();
  const ws = useWorkspace();
  // only "/" counts differently with system nodes shown (they hang off the root); every other
  // path keeps the plain query key that writes update in place (applyWrite.ts)
  const q = useQuery(
    trpc.config.get.queryOptions(path === "/" && ws.showSystem ? { path, includeSystem: true } : { path }),
  );
  // the tab is in the URL (`?tab=history`) so it can be linked and "back" returns to the last one
  const [params, setParams] = useUrlParams();
  const asked = params.get("tab");
  const tab: Tab = TABS.find((t) => t === asked) ?? "content";
  // leaving the history tab closes its version too, so "back" reopens both together
  const setTab = (t: Tab) => setParams({ tab: t === "content" ? null : t, version: null });
  const [dialog, setDialog] = useState<"create" | "delete" | "restore" | null>(null);
  // a folder shows its children; an editor who asks for it gets the editor instead
  const [folderAsConfig, setFolderAsConfig] = useState(false);
  const canPublish = useCan("publish", path);
  const isRoot = path === "/";
  const showFolder = !isRoot && !!q.data && isFolder(q.data.stat) && !folderAsConfig;

  return (
    <div className="node-view">
      <div className="node-head">
        <DrawerButton />
        <div className="node-title">
          <Breadcrumbs path={path} />
          <div className="node-meta">
            {q.data && (
              <KindBadges kind={q.data.kind} sequential={/\d{10}$/.test(baseName(path))} system={isSystemPath(path)} />
            )}
            {q.data && !isRoot && <span className="pill">{q.data.format}</span>}
            {q.data && (
              <span className="pill" data-testid="node-version">
                version {q.data.stat.version}
              </span>
            )}
            {q.data && q.data.stat.numChildren > 0 && (
              <span className="pill">{plural(q.data.stat.numChildren, "child", "children")}</span>
            )}
            {q.data && q.data.stat.mtime > 0 && (
              <span className="pill" title={dateTime(q.data.stat.mtime)}>
                modified {relativeTime(q.data.stat.mtime)}
              </span>
            )}
          </div>
        </div>
        <div className="node-actions">
          {canWrite && (
            <button
              type="button"
              className="btn"
              onClick={() => setDialog("create")}
              disabled={!q.data || q.data.kind === "ephemeral"}
              title={
                q.data?.kind === "ephemeral" ? "Ephemeral nodes cannot have children" : "Create a node under this one"
              }
            >
              + New child
            </button>
          )}
          {!isRoot && canWrite && (
            <button
              type="button"
              className="btn btn-danger-ghost"
              onClick={() => setDialog("delete")}
              disabled={!q.data}
            >
              Delete
            </button>
          )}
        </div>
      </div>

      {q.isPending && (
        <div className="skeleton" aria-busy="true">
          Loading {path}…
        </div>
      )}
      {q.isError && !q.data && errorCode(q.error) === "NOT_FOUND" && !isRoot && (
        <DeletedNode path={path} canRestore={canPublish} onRestore={() => setDialog("restore")} />
      )}
      {/* not readable: on the way to what the user may read it is plain navigation, else BranchView says why not */}
      {q.isError && !q.data && errorCode(q.error) === "FORBIDDEN" && <BranchView path={path} />}
      {q.isError && !q.data && errorCode(q.error) !== "FORBIDDEN" && (errorCode(q.error) !== "NOT_FOUND" || isRoot) && (
        <NodeError path={path} error={q.error} />
      )}
      {q.isError && q.data && (
        <div className="banner banner-bad" role="alert" data-testid="node-gone">
          {errorCode(q.error) === "NOT_FOUND"
            ? `This node was deleted on the server. What you see is the last version this page loaded.`
            : errorMessage(q.error)}
        </div>
      )}
      {q.data && (
        <>
          {isSystemPath(path) && <SystemNotice path={path} />}
          <div className="tabs" role="tablist">
            {(isRoot ? (["content", "stat"] as const) : (["content", "history", "stat"] as const)).map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                aria-selected={tab === t}
                className={tab === t ? "tab active" : "tab"}
                onClick={() => setTab(t)}
              >
                {t === "content"
                  ? isRoot
                    ? "Overview"
                    : showFolder
                      ? "Children"
                      : "Content"
                  : t === "history"
                    ? "History"
                    : "Stat"}
              </button>
            ))}
          </div>
          <div className="tab-body">
            <ErrorBoundary title="This tab failed to render.">
              {/* the content tab stays mounted so switching tabs keeps unsaved edits */}
              <div hidden={tab !== "content"}>
                {isRoot ? (
                  <RootOverview onCreate={() => setDialog("create")} />
                ) : showFolder ? (
                  <FolderView
                    path={path}
                    numChildren={q.data.stat.numChildren}
                    {...(canWrite ? { onAddContent: () => setFolderAsConfig(true) } : {})}
                  />
                ) : (
                  <>
                    <ContentTab path={path} node={q.data} />
                    {q.data.stat.numChildren > 0 && <ChildrenList path={path} />}
                  </>
                )}
              </div>
              {tab === "history" && <HistoryTab path={path} node={q.data} />}
              {tab === "stat" && <StatPanel stat={q.data.stat} kind={q.data.kind} path={path} />}
            </ErrorBoundary>
          </div>
        </>
      )}
      {dialog === "restore" && <RestoreDialog path={path} onClose={() => setDialog(null)} />}
      {dialog === "create" && <CreateChildDialog parent={path} onClose={() => setDialog(null)} />}
      {dialog === "delete" && q.data && <DeleteDialog path={path} stat={q.data.stat} onClose={() => setDialog(null)} />}
    </div>
  );
}

function DrawerButton() {
  const ws = useWorkspace();
  return (
    <button
      type="button"
      className="icon-btn drawer-btn"
      aria-label="Show the tree"
      onClick={() => ws.setDrawerOpen(!ws.drawerOpen)}
    >
      <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
        <path d="M4 6h16M4 12h10M4 18h16" stroke="currentColor" strokeWidth="2" strokeLinecap="round" fill="none" />
      </svg>
    </button>
  );
}

function Breadcrumbs({ path }: { path: string }) {
  const parts = path.split("/").filter(Boolean);
  return (
    <h1 className="breadcrumbs" data-testid="node-path">
      <Link href="/nodes" className="crumb">
        /
      </Link>
      {parts.map((p, i) => {
        const to = "/" + parts.slice(0, i + 1).join("/");
        const last = i === parts.length - 1;
        return (
          <span key={to}>
            {i > 0 && <span className="crumb-sep">/</span>}
            {last ? (
              <span className="crumb crumb-last">{p}</span>
            ) : (
              <Link href={nodeHref(to)} className="crumb">
                {p}
              </Link>
            )}
          </span>
        );
      })}
    </h1>
  );
}

/**
 * A path with no node: its history is kept, so it is shown (a deleted node's versions, or an
 * empty list for a mistyped link) with "Restore" when there is something to restore.
 */
function DeletedNode({ path, canRestore, onRestore }: { path: string; canRestore: boolean; onRestore: () => void }) {
  return (
    <>
      <div className="empty-state" role="status" data-testid="node-missing">
        <h2>No node at {path}</h2>
        <p>It may have been deleted (its history is below), or the link is mistyped.</p>
        <div className="deleted-actions">
          {canRestore && (
            <button type="button" className="btn btn-primary" onClick={onRestore}>
              Restore
            </button>
          )}
          <Link className="btn" href={nodeHref(parentOf(path))}>
            Go to {parentOf(path)}
          </Link>
        </div>
      </div>
      <div className="tab-body deleted-history">
        <ErrorBoundary title="The history failed to render.">
          <HistoryTab path={path} node={null} />
        </ErrorBoundary>
      </div>
    </>
  );
}

function NodeError({ path, error }: { path: string; error: unknown }) {
  if (errorCode(error) === "NOT_FOUND") {
    return (
      <div className="empty-state" role="status">
        <h2>No node at {path}</h2>
        <p>It may have been deleted, or the link is mistyped.</p>
        <Link className="btn" href={nodeHref(parentOf(path))}>
          Go to {parentOf(path)}
        </Link>
      </div>
    );
  }
  return (
    <div className="panel-error" role="alert">
      <strong>Could not load {path}</strong>
      <p>{errorMessage(error)}</p>
    </div>
  );
}
