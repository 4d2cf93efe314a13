/**
 * Audit log (admins): every action across the installation, newest first, as readable sentences
 * with links to the paths and versions they name. Filters (action, actor, path prefix, time) are
 * applied by the server, page by page; "Export" downloads every matching row, not only the
 * loaded pages, from the server's streaming endpoint. The stored detail is one click away.
 */
"use client";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { dateTime } from "../../lib/display.ts";
import { nodeHref } from "../../lib/paths.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { useUrlFilter } from "../../lib/urlState.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { LoadMore } from "../LoadMore.tsx";
import { PageHeader } from "../PageHeader.tsx";
import { Cell, StackTable, type Column } from "../StackTable.tsx";
import "./screens.css";
import "./AuditView.css";

const COLUMNS: readonly Column[] = [
  { label: "Time" },
  { label: "Actor" },
  { label: "Action" },
  { label: "Path" },
  { label: "What happened" },
  { label: "Source" },
];

const EMPTY = { action: "", author: "", path: "", since: "", until: "" };
type Form = typeof EMPTY;
/** The filters kept in the URL (`?action=config.*&author=ada`), so a filtered log is a link. */
const KEYS = Object.keys(EMPTY) as (keyof Form)[];

function toMs(local: string): number | undefined {
  if (!local) return undefined;
  const t = new Date(local).getTime();
  return Number.isFinite(t) ? t : undefined;
}

/** The filter as the server reads it (tRPC input and the export's query string alike). */
function filterOf(f: Form) {
  const since = toMs(f.since);
  const until = toMs(f.until);
  return {
    ...(f.action ? { action: f.action } : {}),
    ...(f.author.trim() ? { author: f.author.trim() } : {}),
    ...(f.path.trim() ? { path: f.path.trim() } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
  };
}

function exportHref(filter: Record<string, string | number>, format: "csv" | "json"): string {
  const q = new URLSearchParams({ format });
  for (const [k, v] of Object.entries(filter)) q.set(k, String(v));
  return `/api/v1/audit/export?${q.toString()}`;
}

/** Each family ("config.*") before its actions, so "every config change" is one choice. */
function actionOptions(actions: readonly string[]): { value: string; label: string }[] {
  const out: { value: string; label: string }[] = [];
  const families = new Map<string, string[]>();
  for (const a of actions) {
    const dot = a.indexOf(".");
    const fam = dot > 0 ? a.slice(0, dot) : a;
    families.set(fam, [...(families.get(fam) ?? []), a]);
  }
  for (const [fam, list] of families) {
    if (list.length > 1 || list[0] !== fam) out.push({ value: `${fam}.*`, label: `${fam}.* (all)` });
    for (const a of list) out.push({ value: a, label: a });
  }
  return out;
}

function ActorName({ actor }: { actor: string }) {
  if (actor.startsWith("token:"))
    return (
      <>
        {actor.slice("token:".length)} <span className="muted small">(API token)</span>
      </>
    );
  if (actor === "system") return <span className="muted">Conifer (server)</span>;
  return <>{actor}</>;
}

interface Row {
  id: string;
  path?: string;
  summary: string;
  detail?: string;
  versions: { role: "from" | "to"; version: number; entryId?: string }[];
}

function versionHref(path: string, entryId: string | undefined): string {
  return `${nodeHref(path)}?tab=history${entryId ? `&version=${encodeURIComponent(entryId)}` : ""}`;
}

function WhatHappened({ row }: { row: Row }) {
  const path = row.path;
  return (
    <div className="audit-what">
      <span>{row.summary}</span>
      {path !== undefined && row.versions.length > 0 && (
        <span className="audit-versions">
          {row.versions.map((v) => (
            <Link
              key={`${v.role}${v.version}`}
              className="badge audit-version"
              href={versionHref(path, v.entryId)}
              title={`${v.role === "from" ? "The version it went back to" : "The version it wrote"}: open it in the history of ${path}`}
            >
              {v.role === "from" ? "from " : ""}v{v.version}
            </Link>
          ))}
        </span>
      )}
      {row.detail !== undefined && (
        <details className="audit-detail">
          <summary>details</summary>
          <pre className="mono small">{pretty(row.detail)}</pre>
        </details>
      )}
    </div>
  );
}

function pretty(detail: string): string {
  try {
    return JSON.stringify(JSON.parse(detail), null, 2);
  } catch {
    return detail;
  }
}

export function AuditView() {
  const trpc = useTRPC();
  // the URL is the applied filter; the boxes run ahead of it while the user types
  const urlFilter = useUrlFilter(KEYS);
  const form = urlFilter.form;
  const filters = urlFilter.applied;
  const filter = filterOf(filters);
  const q = useInfiniteQuery({
    ...trpc.audit.list.infiniteQueryOptions(
      { limit: 100, ...filter },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
    refetchInterval: 10_000,
  });
  const facets = useQuery(trpc.audit.facets.queryOptions());
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Object.keys(filter).length > 0;
  // text boxes edit (the URL follows once typing pauses) and commit on Enter / leaving the box;
  // a select picks a value: that is a commit
  const text = (k: keyof Form) => ({
    value: form[k],
    onChange: (e: { target: { value: string } }) => urlFilter.edit(k, e.target.value),
    onBlur: () => urlFilter.commit(),
    onKeyDown: (e: { key: string }) => {
      if (e.key === "Enter") urlFilter.commit();
    },
  });
  const pick = (k: keyof Form) => ({
    value: form[k],
    onChange: (e: { target: { value: string } }) => urlFilter.commit({ [k]: e.target.value }),
  });

  return (
    <div className="page">
      <PageHeader title="Audit log" description="Every action, by whom, from where. Newest first." />
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Audit filters">
        <label>
          <span>Action</span>
          <select className="input" {...pick("action")}>
            <option value="">any action</option>
            {actionOptions(facets.data?.actions ?? []).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Actor</span>
          <input className="input" placeholder="anyone" list="audit-actors" {...text("author")} />
          <datalist id="audit-actors">
            {(facets.data?.actors ?? []).map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </label>
        <label>
          <span>Path prefix</span>
          <input className="input" placeholder="/payments" {...text("path")} />
        </label>
        <label>
          <span>From</span>
          <input className="input" type="datetime-local" {...text("since")} />
        </label>
        <label>
          <span>To</span>
          <input className="input" type="datetime-local" {...text("until")} />
        </label>
        {filtered && (
          <button type="button" className="btn btn-ghost" onClick={() => urlFilter.commit(EMPTY)}>
            Clear
          </button>
        )}
        <span className="audit-export" aria-label="Export">
          <a className="btn btn-ghost" href={exportHref(filter, "csv")} download data-testid="audit-export-csv">
            Export CSV
          </a>
          <a className="btn btn-ghost" href={exportHref(filter, "json")} download data-testid="audit-export-json">
            Export JSON
          </a>
        </span>
      </form>
      {filtered && (
        <p className="muted small">Export downloads every row matching these filters, not only this page.</p>
      )}
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
            <tr key={e.id} data-action={e.action}>
              <Cell label="Time" className="nowrap mono small">
                {dateTime(e.at)}
              </Cell>
              <Cell label="Actor" className="nowrap">
                <ActorName actor={e.actor} />
              </Cell>
              <Cell label="Action">
                <span className="badge">{e.action}</span>
              </Cell>
              <Cell label="Path" className="mono">
                {e.path ? <Link href={nodeHref(e.path)}>{e.path}</Link> : <span className="muted">—</span>}
              </Cell>
              <Cell label="What happened" className="msg">
                <WhatHappened row={e} />
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
