/**
 * The Changes screen (issue 14): open change requests grouped by status (drafts, in review,
 * approved, conflicted), the ones waiting for the user's review first. Each links to its page.
 */
"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { dateTime, plural } from "../../lib/display.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { PageHeader } from "../PageHeader.tsx";
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
  return (
    <div className="page" data-testid="changes-screen">
      <PageHeader
        title="Changes"
        description="Change requests: edits gathered as drafts, reviewed and published together as one release."
      />
      <ErrorAlert error={list.error} />
      {list.data && list.data.length === 0 && (
        <p className="muted" data-testid="changes-empty">
          No open changes. Edit a key and choose “Add to a change” in its review step.
        </p>
      )}
      {GROUPS.map((g) => {
        const rows = (list.data ?? []).filter((c) => c.status === g.status);
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
