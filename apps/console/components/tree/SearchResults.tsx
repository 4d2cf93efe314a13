/**
 * Results of tree.search: by path (substring) or by content (with the matching line). Each
 * result's link keeps the search in its URL, so the results stay beside the opened node.
 */
"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { errorMessage } from "../../lib/errors.ts";
import { nodeHref } from "../../lib/paths.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { useWorkspace } from "./Workspace.tsx";
import "./tree.css";

function resultHref(path: string, query: string, mode: "path" | "content"): string {
  const q = new URLSearchParams({ q: query });
  if (mode === "content") q.set("mode", mode);
  return `${nodeHref(path)}?${q.toString()}`;
}

export function SearchResults({ query, mode }: { query: string; mode: "path" | "content" }) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const q = useQuery(trpc.tree.search.queryOptions({ query, mode, limit: 100, includeSystem: ws.showSystem }));
  if (q.isPending) return <p className="tree-note">Searching…</p>;
  if (q.isError) return <p className="tree-note tree-note-error">{errorMessage(q.error)}</p>;
  if (q.data.matches.length === 0) {
    return (
      <p className="tree-note">
        No {mode === "path" ? "path" : "content"} matches “{query}”.
        {mode === "path" ? " Try searching contents instead." : ""}
      </p>
    );
  }
  return (
    <ul className="search-results" aria-label="Search results">
      {q.data.matches.map((m) => (
        <li key={`${m.path}:${m.line ?? ""}`}>
          <Link
            href={resultHref(m.path, query, mode)}
            className={ws.selected === m.path ? "result selected" : "result"}
          >
            <span className="result-path">{highlight(m.path, mode === "path" ? query : "")}</span>
            {m.snippet !== undefined && (
              <span className="result-snippet">
                {m.line !== undefined && <span className="result-line">{m.line}</span>}
                {highlight(m.snippet, query)}
              </span>
            )}
          </Link>
        </li>
      ))}
      {q.data.truncated && <li className="tree-note">More matches not shown: refine the search.</li>}
    </ul>
  );
}

function highlight(text: string, query: string) {
  if (!query) return text;
  const i = text.toLowerCase().indexOf(query.toLowerCase());
  if (i < 0) return text;
  return (
    <>
      {text.slice(0, i)}
      <mark>{text.slice(i, i + query.length)}</mark>
      {text.slice(i + query.length)}
    </>
  );
}
