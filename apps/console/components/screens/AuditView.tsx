/** Audit log: every write across the tree, filtered by path prefix, author and time window. */
"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { dateTime } from "../../lib/display.ts";
import { nodeHref } from "../../lib/paths.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { LoadMore } from "../LoadMore.tsx";
import { PageHeader } from "../PageHeader.tsx";
import { Cell, StackTable, type Column } from "../StackTable.tsx";
import "./screens.css";

const COLUMNS: readonly Column[] = [
  { label: "Time" },
  { label: "Actor" },
  { label: "Action" },
  { label: "Path" },
  { label: "Detail" },
  { label: "Source" },
];

function toMs(local: string): number | undefined {
  if (!local) return undefined;
  const t = new Date(local).getTime();
  return Number.isFinite(t) ? t : undefined;
}

export function AuditView() {
  const trpc = useTRPC();
  const [form, setForm] = useState({ path: "", author: "", since: "", until: "" });
  const [filters, setFilters] = useState(form);
  useEffect(() => {
    const t = setTimeout(() => setFilters(form), 300);
    return () => clearTimeout(t);
  }, [form]);
  const since = toMs(filters.since);
  const until = toMs(filters.until);
  const input = {
    limit: 100,
    ...(filters.path.trim() ? { path: filters.path.trim() } : {}),
    ...(filters.author.trim() ? { author: filters.author.trim() } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
  };
  const q = useInfiniteQuery({
    ...trpc.audit.list.infiniteQueryOptions(input, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
    refetchInterval: 10_000,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Object.values(filters).some((v) => v.trim());

  return (
    <div className="page">
      <PageHeader title="Audit log" description="Every write, by whom, from where. Newest first." />
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Audit filters">
        <label>
          <span>Path prefix</span>
          <input
            className="input"
            placeholder="/payments"
            value={form.path}
            onChange={(e) => setForm({ ...form, path: e.target.value })}
          />
        </label>
        <label>
          <span>Author</span>
          <input
            className="input"
            placeholder="anyone"
            value={form.author}
            onChange={(e) => setForm({ ...form, author: e.target.value })}
          />
        </label>
        <label>
          <span>From</span>
          <input
            className="input"
            type="datetime-local"
            value={form.since}
            onChange={(e) => setForm({ ...form, since: e.target.value })}
          />
        </label>
        <label>
          <span>To</span>
          <input
            className="input"
            type="datetime-local"
            value={form.until}
            onChange={(e) => setForm({ ...form, until: e.target.value })}
          />
        </label>
        {filtered && (
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => setForm({ path: "", author: "", since: "", until: "" })}
          >
            Clear
          </button>
        )}
      </form>
      {q.isPending && <div className="skeleton">Loading audit log…</div>}
      <ErrorAlert error={q.error} />
      {q.data && items.length === 0 && (
        <div className="empty-state">
          <h2>{filtered ? "No entries match these filters" : "Nothing recorded yet"}</h2>
          <p>
            {filtered
              ? "Widen the time window or clear a filter."
              : "Every create, publish, rollback and delete appears here, from the console, the API and the SDK."}
          </p>
        </div>
      )}
      {items.length > 0 && (
        <StackTable testId="audit-table" columns={COLUMNS} footer={<LoadMore query={q} label="Load older entries" />}>
          {items.map((e) => (
            <tr key={e.id}>
              <Cell label="Time" className="nowrap mono small">
                {dateTime(e.at)}
              </Cell>
              <Cell label="Actor" className="nowrap">
                {e.actor}
              </Cell>
              <Cell label="Action">
                <span className="badge">{e.action}</span>
              </Cell>
              <Cell label="Path" className="mono">
                {e.path ? <Link href={nodeHref(e.path)}>{e.path}</Link> : <span className="muted">—</span>}
              </Cell>
              <Cell label="Detail" className="msg">
                {e.detail ?? ""}
              </Cell>
              <Cell label="Source" className="nowrap">
                <span className={`badge badge-src-${e.source}`}>{e.source}</span>
                {e.ip && <span className="muted small"> {e.ip}</span>}
              </Cell>
            </tr>
          ))}
        </StackTable>
      )}
    </div>
  );
}
