/**
 * Two panes: the znode tree (a drawer on narrow screens) and the selected node. Holds which
 * tree rows are expanded so navigation keeps the tree as the user left it.
 */
"use client";
import { usePathname, useRouter } from "next/navigation";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { ancestorsOf } from "@conifer/coordinator/paths";
import { useLandingPath } from "../../lib/me.ts";
import { nodeHref, pathFromSegments } from "../../lib/paths.ts";
import { useStoredFlag } from "../../lib/storedFlag.ts";
import { TreePane } from "./TreePane.tsx";
import "./tree.css";

interface WorkspaceState {
  selected: string;
  expanded: ReadonlySet<string>;
  toggle(path: string, open?: boolean): void;
  drawerOpen: boolean;
  setDrawerOpen(open: boolean): void;
  /** ZooKeeper's /zookeeper and Conifer's /conifer: hidden unless an admin asks for them. */
  showSystem: boolean;
  setShowSystem(show: boolean): void;
}

const Ctx = createContext<WorkspaceState | null>(null);

export function useWorkspace(): WorkspaceState {
  const v = useContext(Ctx);
  if (!v) throw new Error("useWorkspace outside <Workspace>");
  return v;
}

function selectedFromPathname(pathname: string): string {
  const rest = pathname.replace(/^\/nodes\/?/, "");
  return pathFromSegments(rest ? rest.split("/") : []);
}

/**
 * Arriving at the root ("Config", a bare link) without read access to "/": go to the first
 * readable prefix instead. Decided once per arrival, so "/" opened later from the tree or the
 * breadcrumbs stays put and shows the way down.
 */
function useLanding(selected: string): void {
  const router = useRouter();
  const landing = useLandingPath();
  const decided = useRef(false);
  const arrivedAtRoot = useRef(selected === "/");
  useEffect(() => {
    if (decided.current) return;
    if (!arrivedAtRoot.current || selected !== "/") {
      decided.current = true;
      return;
    }
    if (!landing) return;
    decided.current = true;
    router.replace(nodeHref(landing));
  }, [landing, selected, router]);
}

export function Workspace({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const selected = selectedFromPathname(pathname);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set(["/", ...ancestorsOf(selected)]));
  const [drawerOpen, setDrawerOpen] = useState(false);
  // an admin who turned system nodes on keeps them on across reloads (the server ignores it for others)
  const [showSystem, setShowSystem] = useStoredFlag("conifer.showSystemNodes");
  useLanding(selected);

  // a deep link opens the tree down to the node it names
  useEffect(() => {
    setExpanded((prev) => {
      const need = ancestorsOf(selected).filter((p) => !prev.has(p));
      if (need.length === 0) return prev;
      const next = new Set(prev);
      for (const p of need) next.add(p);
      return next;
    });
    setDrawerOpen(false);
  }, [selected]);

  const toggle = useCallback((path: string, open?: boolean) => {
    setExpanded((prev) => {
      const isOpen = prev.has(path);
      const want = open ?? !isOpen;
      if (want === isOpen) return prev;
      const next = new Set(prev);
      if (want) next.add(path);
      else next.delete(path);
      return next;
    });
  }, []);

  const value = useMemo(
    () => ({ selected, expanded, toggle, drawerOpen, setDrawerOpen, showSystem, setShowSystem }),
    [selected, expanded, toggle, drawerOpen, showSystem, setShowSystem],
  );

  return (
    <Ctx.Provider value={value}>
      <div className={drawerOpen ? "workspace drawer-open" : "workspace"}>
        <aside className="tree-pane" aria-label="Config tree">
          {/* no Suspense boundary of its own, although its search reads useSearchParams: /nodes is
              rendered per request, and a boundary hydrated apart from the page broke hydration
              whenever the landing redirect or a context update reached it first (React #418) */}
          <TreePane />
        </aside>
        <div className="drawer-scrim" onClick={() => setDrawerOpen(false)} aria-hidden="true" />
        <section className="main-pane">{children}</section>
      </div>
    </Ctx.Provider>
  );
}
