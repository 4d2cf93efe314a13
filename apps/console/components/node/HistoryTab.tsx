/**
 * History tab: every version with author, time, message and source; view any version, diff
 * any two side by side (or one against live), and roll back (a new version, with a message).
 */
"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { dateTime, relativeTime } from "../../lib/display.ts";
import { useTRPC } from "../../lib/trpc.ts";
import type { HistoryItem, NodeData } from "../../lib/types.ts";
import { useUrlParams } from "../../lib/urlState.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { LoadMore } from "../LoadMore.tsx";
import { Cell, StackTable, type Column } from "../StackTable.tsx";
import { HistoryDetail } from "./HistoryDetail.tsx";
import "../StackTable.css";
import "./node.css";

const COLUMNS: readonly Column[] = [
  { label: "Compare", className: "col-check", hidden: true },
  { label: "Version" },
  { label: "When" },
  { label: "Author" },
  { label: "Message" },
  { label: "Source" },
];

/** `node` is the live node, or null for a deleted path (its history is kept and shown). */
export function HistoryTab({ path, node }: { path: string; node: NodeData | null }) {
  const trpc = useTRPC();
  const liveMzxid = node ? BigInt(node.stat.mzxid) : null;
  const q = useInfiniteQuery(
    trpc.history.list.infiniteQueryOptions(
      { path, limit: 50 },
      {
        getNextPageParam: (last) => last.nextCursor ?? undefined,
        // the server records history just after the change lands, so a refetch triggered by the
        // change itself can come back one version short: poll until the live version shows up
        refetchInterval: (query) => {
          const newest = query.state.data?.pages[0]?.items[0];
          return liveMzxid === null || (newest && BigInt(newest.mzxid) >= liveMzxid) ? false : 1_000;
        },
      },
    ),
  );
  // the opened version (or the two compared) is in the URL: `?version=<id>` or `?version=<id>,<id>`
  const [params, setParams] = useUrlParams();
  const fromUrl = params.get("version") ?? "";
  // the boxes answer a click at once; the URL follows when the router has pushed it, and a back
  // button or an opened link sets them from the URL
  const [shown, setShown] = useState(fromUrl);
  useEffect(() => {
    setShown(fromUrl);
  }, [fromUrl]);
  const selected = shown.split(",").filter((x) => /^\d+$/.test(x));
  const setSelected = (ids: string[]) => {
    const version = ids.join(",");
    setShown(version);
    setParams({ version: version || null });
  };

  if (q.isPending) return <div className="skeleton">Loading history…</div>;
  if (q.isError) return <ErrorAlert error={q.error} />;
  const items = q.data.pages.flatMap((p) => p.items);
  if (items.length === 0) {
    return (
      <div className="empty-state">
        <h2>No history yet</h2>
        <p>
          Versions appear here as soon as this node is published or changed, including changes made outside the console.
        </p>
      </div>
    );
  }
  const byId = new Map(items.map((i) => [i.id, i]));
  const [older, newer] = selected
    .map((id) => byId.get(id))
    .filter((x): x is HistoryItem => !!x)
    .sort((a, b) => (BigInt(a.mzxid) < BigInt(b.mzxid) ? -1 : 1));

  function toggleCompare(id: string) {
    setSelected(selected.includes(id) ? selected.filter((x) => x !== id) : [...selected, id].slice(-2));
  }

  return (
    <div className="history">
      <p className="muted small history-hint">Click a version to view it; tick two to compare them.</p>
      <StackTable
        testId="history-table"
        columns={COLUMNS}
        className="table-scroll history-list"
        footer={<LoadMore query={q} label="Load older versions" />}
      >
        {items.map((it) => {
          const isSel = selected.includes(it.id);
          return (
            <tr
              key={it.id}
              className={isSel ? "selected" : undefined}
              // a row opens its version by keyboard too (Tab to it, Enter); the checkbox keeps Space
              tabIndex={0}
              onClick={() => setSelected([it.id])}
              onKeyDown={(e) => {
                if (e.key === "Enter" && e.target === e.currentTarget) setSelected([it.id]);
              }}
              data-version={it.version}
              data-op={it.op}
            >
              <Cell className="col-check" onClick={(e) => e.stopPropagation()}>
                <input
                  type="checkbox"
                  className="checkbox"
                  aria-label={`Compare version ${it.version}`}
                  checked={isSel}
                  onChange={() => toggleCompare(it.id)}
                />
              </Cell>
              <Cell label="Version" className="mono nowrap">
                v{it.version}
                {it.op !== "update" && <span className={`badge badge-op-${it.op}`}>{it.op}</span>}
                {node && it.version === node.stat.version && it.op !== "delete" && it.mzxid === node.stat.mzxid && (
                  <span className="badge badge-live">live</span>
                )}
                {it.releaseId && (
                  <Link
                    href={`/releases/${it.releaseId}`}
                    className="small release-link"
                    data-testid="history-release-link"
                    onClick={(e) => e.stopPropagation()}
                  >
                    {" "}
                    release #{it.releaseId}
                  </Link>
                )}
              </Cell>
              <Cell label="When" className="nowrap" title={dateTime(it.at)}>
                {relativeTime(it.at)}
              </Cell>
              <Cell label="Author" className="nowrap">
                {it.author}
              </Cell>
              <Cell label="Message" className="msg">
                {it.message || <span className="muted">—</span>}
              </Cell>
              <Cell label="Source">
                <span className={`badge badge-src-${it.source}`}>{it.source}</span>
              </Cell>
            </tr>
          );
        })}
      </StackTable>
      {older && (
        <HistoryDetail
          key={older.id + (newer ? "," + newer.id : "")}
          path={path}
          node={node}
          older={older}
          newer={newer}
          onClear={() => setSelected([])}
        />
      )}
    </div>
  );
}
