/**
 * The Changes screen (issue 14): open change requests grouped by status (drafts, in review,
 * approved, conflicted), the ones waiting for the user's review first. Each links to its page.
 * Filters by status, author and path prefix, kept in the URL (`?status=in_review&author=ada&under=/x`)
 * so a filtered list is a link; they apply to the open changes already loaded (at most a few
 * hundred), so no filter asks the server again.
 */
"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { isWithin } from "@conifer/coordinator/paths";
import { dateTime, plural } from "../../lib/display.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { useUrlFilter } from "../../lib/urlState.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { PageHeader } from "../PageHeader.tsx";
import { PrefixFilter } from "../PrefixFilter.tsx";
import { Cell, StackTable, type Column } from "../StackTable.tsx";
import { StatusBadge } from "./StatusBadge.tsx";
import "../screens/screens.css";
import "./changes.css";

const GROUPS = [
  { status: "in_review", label: "In review" },
  { status: "approved", label: "Approved" },
  { status: "conflicted", label: "Conflicted" },
  { status: "draft", label: "Drafts" },
] as const;

const FILTER_KEYS = ["status", "author", "under"] as const;

/** `/payments/` and `/payments` name the same prefix; anything not a path matches nothing. */
function underPrefix(path: string, prefix: string): boolean {
  const p = prefix.length > 1 ? prefix.replace(/\/+$/, "") : prefix;
  return p.startsWith("/") && isWithin(path, p);
}

const COLUMNS: readonly Column[] = [
  { label: "Change" },
  { label: "Author" },
  { label: "Keys" },
  { label: "Status" },
  { label: "Updated" },
];

export function ChangesView() {
  const trpc = useTRPC();
  // refreshed when the server pushes activity on changes this user wrote or may review (Providers)
  const list = useQuery(trpc.changes.list.queryOptions({ statuses: GROUPS.map((g) => g.status) }));
  const waiting = useQuery(trpc.changes.list.queryOptions({ reviewable: true }));
  const mine = new Set((waiting.data ?? []).map((c) => c.id));
  const filter = useUrlFilter(FILTER_KEYS);
  const { status, author } = filter.applied;
  const under = filter.applied.under.trim();
  const all = list.data ?? [];
  const authors = [...new Set(all.map((c) => c.author))].sort();
  const shown = all.filter(
    (c) => (!author || c.author === author) && (!under || c.items.some((i) => underPrefix(i.path, under))),
  );
  const filtered = !!(status || author || under);
  const shownIn = (s: string) => (status && status !== s ? [] : shown.filter((c) => c.status === s));
  return (
    <div className="page" data-testid="changes-screen">
      <PageHeader
        title="Changes"
        description="Change requests: edits gathered as drafts, reviewed and published together as one release."
      />
      <form className="filters changes-filters" onSubmit={(e) => e.preventDefault()} aria-label="Change filters">
        <FilterSelect
          label="Status"
          value={filter.form.status}
          onChange={(status) => filter.commit({ status })}
          any="any open status"
          options={GROUPS.map((g) => ({ value: g.status, label: g.label }))}
          testId="changes-status"
        />
        {/* a linked author with no open change left still shows as chosen */}
        <FilterSelect
          label="Author"
          value={filter.form.author}
          onChange={(a) => filter.commit({ author: a })}
          any="anyone"
          options={[...new Set([...authors, ...(author ? [author] : [])])].map((a) => ({ value: a, label: a }))}
          testId="changes-author"
        />
        <label>
          <span>Path prefix</span>
          <PrefixFilter filter={filter} field="under" label="Changes under prefix" testId="changes-prefix" />
        </label>
        {filtered && (
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => filter.commit({ status: "", author: "", under: "" })}
          >
            Clear
          </button>
        )}
      </form>
      <ErrorAlert error={list.error} />
      {list.data && all.length === 0 && (
        <p className="muted" data-testid="changes-empty">
          No open changes. Edit a key and choose “Add to a change” in its review step.
        </p>
      )}
      {list.data && all.length > 0 && GROUPS.every((g) => !shownIn(g.status).length) && (
        <p className="muted" data-testid="changes-none-match">
          No open change matches these filters.
        </p>
      )}
      {GROUPS.map((g) => {
        const rows = shownIn(g.status);
        if (rows.length === 0) return null;
        return (
          <section key={g.status} className="changes-group" data-testid={`changes-${g.status}`}>
            <h2>
              {g.label} <span className="muted">({rows.length})</span>
            </h2>
            <StackTable testId={`changes-table-${g.status}`} columns={COLUMNS}>
              {rows.map((c) => (
                <tr key={c.id} data-testid={`change-row-${c.id}`}>
                  <Cell label="Change">
                    <Link href={`/changes/${c.id}`}>
                      #{c.id} {c.title}
                    </Link>
                    {mine.has(c.id) && <span className="badge badge-warn">needs your review</span>}
                  </Cell>
                  <Cell label="Author">{c.author}</Cell>
                  <Cell label="Keys">{plural(c.items.length, "key")}</Cell>
                  <Cell label="Status">
                    <StatusBadge status={c.status} />
                  </Cell>
                  <Cell label="Updated">{dateTime(c.updatedAt)}</Cell>
                </tr>
              ))}
            </StackTable>
          </section>
        );
      })}
    </div>
  );
}

/** One filter of the list: a labelled select whose empty value means "any". */
function FilterSelect({
  label,
  value,
  onChange,
  any,
  options,
  testId,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  any: string;
  options: { value: string; label: string }[];
  testId: string;
}) {
  return (
    <label>
      <span>{label}</span>
      <select className="input" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
