/**
 * Releases screen: the releases touching a prefix (the prefix is in the URL, `?under=/x`, so back
 * and forward walk through the prefixes), newest first. The server pages by a limit only, so
 * "load older" asks again for a longer list.
 */
"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { dateTime, hex, relativeTime } from "../../lib/display.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { useUrlFilter } from "../../lib/urlState.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { PageHeader } from "../PageHeader.tsx";
import { PrefixFilter } from "../PrefixFilter.tsx";
import { Cell, StackTable, type Column } from "../StackTable.tsx";
import "../LoadMore.css";
import "../screens/screens.css";
import "./releases.css";

const PAGE = 50;
const FILTER_KEYS = ["under"] as const;
const COLUMNS: readonly Column[] = [
  { label: "Release" },
  { label: "Title" },
  { label: "Keys" },
  { label: "Authors" },
  { label: "Approvers" },
  { label: "Published by" },
  { label: "When" },
  { label: "zxid" },
];

export function ReleasesView() {
  const trpc = useTRPC();
  const filter = useUrlFilter(FILTER_KEYS);
  const under = filter.applied.under.trim();
  const [limit, setLimit] = useState(PAGE);
  // another prefix starts again from the newest page
  useEffect(() => setLimit(PAGE), [under]);
  const prefix = under.startsWith("/") ? under : undefined;
  const q = useQuery({
    ...trpc.releases.list.queryOptions(prefix ? { under: prefix, limit } : { limit }),
    placeholderData: keepPreviousData,
  });
  const releases = q.data ?? [];
  return (
    <div className="page">
      <PageHeader
        title="Releases"
        description="Every publish, of one key or many at once, with who proposed, approved and published it."
      >
        <PrefixFilter filter={filter} field="under" label="Releases under prefix" testId="releases-prefix" />
      </PageHeader>
      {q.isPending && <div className="skeleton">Loading releases…</div>}
      <ErrorAlert error={q.error} />
      {q.data && releases.length === 0 && (
        <div className="empty-state" data-testid="releases-empty">
          <h2>No releases{prefix ? ` under ${prefix}` : ""} yet</h2>
          <p>A release is recorded each time a change is published, directly or after review.</p>
        </div>
      )}
      {releases.length > 0 && (
        <StackTable
          testId="releases-table"
          columns={COLUMNS}
          footer={
            releases.length >= limit && (
              <button
                type="button"
                className="btn btn-ghost load-more"
                disabled={q.isFetching}
                onClick={() => setLimit(Math.min(limit + PAGE, 500))}
              >
                {q.isFetching ? "Loading…" : "Load older releases"}
              </button>
            )
          }
        >
          {releases.map((r) => (
            <tr key={r.id} data-release={r.id}>
              <Cell label="Release" className="mono nowrap">
                <Link href={`/releases/${r.id}`}>#{r.id}</Link>
                {r.status !== "published" && <span className="badge badge-warn">{r.status}</span>}
              </Cell>
              <Cell label="Title" className="msg">
                <strong>{r.title || r.message}</strong>
                {r.title && r.message && r.message !== r.title && <div className="muted small">{r.message}</div>}
                {r.rollbackOf && (
                  <div className="small">
                    rollback of <Link href={`/releases/${r.rollbackOf}`}>#{r.rollbackOf}</Link>
                  </div>
                )}
              </Cell>
              <Cell label="Keys">{r.items.length}</Cell>
              <Cell label="Authors">{r.authors.join(", ")}</Cell>
              <Cell label="Approvers">
                {r.approvers.length ? r.approvers.join(", ") : <span className="muted">—</span>}
              </Cell>
              <Cell label="Published by">{r.publishedBy}</Cell>
              <Cell label="When" className="nowrap" title={dateTime(r.publishedAt ?? r.createdAt)}>
                {relativeTime(r.publishedAt ?? r.createdAt)}
              </Cell>
              <Cell label="zxid" className="mono">
                {r.zxid ? hex(r.zxid) : "—"}
              </Cell>
            </tr>
          ))}
        </StackTable>
      )}
    </div>
  );
}
