/**
 * The left pane: search (by path or by content) over a lazily loaded znode tree with
 * keyboard navigation (arrows move / open / close, Enter opens the node, Home / End). The search
 * is in the URL (`?q=limits&mode=content`), so a search is a link and "back" returns to the last
 * one; opening a result keeps it (SearchResults' links carry it).
 */
"use client";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { parentOf } from "@conifer/coordinator/paths";
import { useCan } from "../../lib/me.ts";
import { nodeHref } from "../../lib/paths.ts";
import { useUrlFilter } from "../../lib/urlState.ts";
import { useWorkspace } from "./Workspace.tsx";
import { TreeRoot } from "./TreeRows.tsx";
import { SearchResults } from "./SearchResults.tsx";
import "./tree.css";

const SEARCH_KEYS = ["q", "mode"] as const;

export function TreePane() {
  const ws = useWorkspace();
  const router = useRouter();
  const treeRef = useRef<HTMLUListElement>(null);
  // the URL holds the query once typing pauses: that is the one searched for
  const search = useUrlFilter(SEARCH_KEYS);
  const query = search.form.q;
  const mode = search.form.mode === "content" ? "content" : "path";
  const searched = search.applied.q.trim();
  const [focusPath, setFocusPath] = useState(ws.selected);
  const isAdmin = useCan("admin");
  useEffect(() => setFocusPath(ws.selected), [ws.selected]);

  function onTreeKey(e: KeyboardEvent<HTMLUListElement>) {
    const tree = treeRef.current;
    if (!tree) return;
    const items = Array.from(tree.querySelectorAll<HTMLElement>('[role="treeitem"]'));
    const current = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[role="treeitem"]');
    const i = current ? items.indexOf(current) : -1;
    const path = current?.dataset["path"];
    const focus = (el: HTMLElement | undefined) => {
      if (!el) return;
      el.focus();
      setFocusPath(el.dataset["path"] ?? "/");
    };
    switch (e.key) {
      case "ArrowDown":
        focus(items[Math.min(items.length - 1, i + 1)]);
        break;
      case "ArrowUp":
        focus(items[Math.max(0, i - 1)]);
        break;
      case "Home":
        focus(items[0]);
        break;
      case "End":
        focus(items[items.length - 1]);
        break;
      case "ArrowRight":
        if (!current || !path) return;
        if (current.getAttribute("aria-expanded") === "false") ws.toggle(path, true);
        else if (current.getAttribute("aria-expanded") === "true") focus(items[i + 1]);
        break;
      case "ArrowLeft":
        if (!current || !path) return;
        if (current.getAttribute("aria-expanded") === "true" && path !== "/") ws.toggle(path, false);
        else focus(items.find((el) => el.dataset["path"] === parentOf(path)));
        break;
      case "Enter":
      case " ":
        if (!path) return;
        router.push(nodeHref(path));
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  return (
    <div className="tree-pane-inner">
      <div className="tree-search">
        <input
          className="input input-search"
          type="search"
          placeholder={mode === "path" ? "Search paths…" : "Search contents…"}
          aria-label="Search the tree"
          value={query}
          onChange={(e) => search.edit("q", e.target.value)}
          onBlur={() => search.commit()}
          onKeyDown={(e) => {
            if (e.key === "Enter") search.commit();
            if (e.key === "Escape") search.commit({ q: "" });
          }}
        />
        <div className="segmented" role="radiogroup" aria-label="Search mode">
          {(["path", "content"] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="radio"
              aria-checked={mode === m}
              className={mode === m ? "on" : undefined}
              onClick={() => search.commit({ mode: m === "path" ? "" : m })}
            >
              {m === "path" ? "Path" : "Content"}
            </button>
          ))}
        </div>
      </div>
      <div className="tree-scroll">
        {searched ? (
          <SearchResults query={searched} mode={search.applied.mode === "content" ? "content" : "path"} />
        ) : (
          <ul className="tree" role="tree" aria-label="znodes" ref={treeRef} onKeyDown={onTreeKey}>
            <TreeRoot focusPath={focusPath} onFocusPath={setFocusPath} />
          </ul>
        )}
      </div>
      {isAdmin && (
        <label className="tree-system-toggle">
          <input type="checkbox" checked={ws.showSystem} onChange={(e) => ws.setShowSystem(e.target.checked)} /> Show
          system nodes
        </label>
      )}
      <div className="tree-legend" aria-hidden="true">
        <span className="badge badge-eph">eph</span> ephemeral
        <span className="badge badge-seq">seq</span> sequential
        <span className="badge badge-ctr">ctr</span> container
      </div>
    </div>
  );
}
