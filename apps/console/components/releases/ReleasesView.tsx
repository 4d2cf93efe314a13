/**
 * Releases screen: the releases touching a prefix (the prefix is in the URL, `?under=/x`, so back
 * and forward walk through the prefixes), newest first. The server pages by a limit only, so
 * "load older" asks again for a longer list; that length is in the URL too (`&limit=100`, replacing
 * the entry, not adding one), so a reload or "back" from a release keeps the older rows.
 */
"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { dateTime, hex, relativeTime } from "../../lib/display.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { useUrlFilter, useUrlParams } from "../../lib/urlState.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { PageHeader } from "../PageHeader.tsx";
import { PrefixFilter } from "../PrefixFilter.tsx";
import { Cell, StackTable, type Column } from "../StackTable.tsx";
import "../LoadMore.css";
import "../screens/screens.css";
import "./releases.css";
import { keyCount } from "./keyCount.ts";

const PAGE = 50;
const MAX = 500;
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
  // another prefix starts again from the newest page
  const filter = useUrlFilter(FILTER_KEYS, ["limit"]);
  const under = filter.applied.under.trim();
  const [params, setParams] = useUrlParams();
  const asked = Number(params.get("limit"));
  const limit = Number.isInteger(asked) && asked > PAGE ? Math.min(asked, MAX) : PAGE;
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
                onClick={() => setParams({ limit: String(Math.min(limit + PAGE, MAX)) }, "replace")}
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
              <Cell label="Keys">{keyCount(r)}</Cell>
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
