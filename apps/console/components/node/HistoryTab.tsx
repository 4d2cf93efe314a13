/**
 * History tab: every version with author, time, message and source; view any version, diff
 * any two side by side (or one against live), and roll back (a new version, with a message).
 */
"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { dateTime, relativeTime } from "../../lib/display.ts";
import { errorMessage } from "../../lib/errors.ts";
import { useTRPC } from "../../lib/trpc.ts";
import type { HistoryItem, NodeData } from "../../lib/types.ts";
import { HistoryDetail } from "./HistoryDetail.tsx";

export function HistoryTab({ path, node }: { path: string; node: NodeData }) {
  const trpc = useTRPC();
  const liveMzxid = BigInt(node.stat.mzxid);
  const q = useInfiniteQuery(
    trpc.history.list.infiniteQueryOptions(
      { path, limit: 50 },
      {
        getNextPageParam: (last) => last.nextCursor ?? undefined,
        // the server records history just after the change lands, so a refetch triggered by the
        // change itself can come back one version short: poll until the live version shows up
        refetchInterval: (query) => {
          const newest = query.state.data?.pages[0]?.items[0];
          return newest && BigInt(newest.mzxid) >= liveMzxid ? false : 1_000;
        },
      },
    ),
  );
  const [selected, setSelected] = useState<string[]>([]);

  if (q.isPending) return <div className="skeleton">Loading history…</div>;
  if (q.isError) return <div className="panel-error" role="alert">{errorMessage(q.error)}</div>;
  const items = q.data.pages.flatMap((p) => p.items);
  if (items.length === 0) {
    return (
      <div className="empty-state">
        <h2>No history yet</h2>
        <p>Versions appear here as soon as this node is published or changed, including changes made outside the console.</p>
      </div>
    );
  }
  const byId = new Map(items.map((i) => [i.id, i]));
  const chosen = selected.map((id) => byId.get(id)).filter((x): x is HistoryItem => !!x);

  function toggleCompare(id: string) {
    setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id].slice(-2)));
  }

  return (
    <div className="history">
      <p className="muted small history-hint">Click a version to view it; tick two to compare them side by side.</p>
      <div className="table-scroll history-list">
        <table className="table table-stack" data-testid="history-table">
          <thead>
            <tr>
              <th className="col-check" aria-label="Compare" />
              <th>Version</th>
              <th>When</th>
              <th>Author</th>
              <th>Message</th>
              <th>Source</th>
            </tr>
          </thead>
          <tbody>
            {items.map((it) => {
              const isSel = selected.includes(it.id);
              return (
                <tr key={it.id} className={isSel ? "selected" : undefined} onClick={() => setSelected([it.id])} data-version={it.version} data-op={it.op}>
                  <td className="col-check" onClick={(e) => e.stopPropagation()}>
                    <input type="checkbox" aria-label={`Compare version ${it.version}`} checked={isSel} onChange={() => toggleCompare(it.id)} />
                  </td>
                  <td data-label="Version" className="mono nowrap">
                    v{it.version}
                    {it.op !== "update" && <span className={`badge badge-op-${it.op}`}>{it.op}</span>}
                    {it.version === node.stat.version && it.op !== "delete" && it.mzxid === node.stat.mzxid && <span className="badge badge-live">live</span>}
                  </td>
                  <td data-label="When" className="nowrap" title={dateTime(it.at)}>
                    {relativeTime(it.at)}
                  </td>
                  <td data-label="Author" className="nowrap">{it.author}</td>
                  <td data-label="Message" className="msg">{it.message || <span className="muted">—</span>}</td>
                  <td data-label="Source">
                    <span className={`badge badge-src-${it.source}`}>{it.source}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {q.hasNextPage && (
          <button type="button" className="btn btn-ghost load-more" onClick={() => void q.fetchNextPage()} disabled={q.isFetchingNextPage}>
            {q.isFetchingNextPage ? "Loading…" : "Load older versions"}
          </button>
        )}
      </div>
      {chosen.length > 0 && <HistoryDetail path={path} node={node} chosen={chosen} onClear={() => setSelected([])} />}
    </div>
  );
}
