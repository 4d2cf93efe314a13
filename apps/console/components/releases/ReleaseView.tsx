/**
 * One release: who and when, every key with its version from → to and its diff, and "Roll back
 * this release" for a user who may publish every key of it (the server checks again).
 */
"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { dateTime, hex } from "../../lib/display.ts";
import { useMe } from "../../lib/me.ts";
import { nodeHref } from "../../lib/paths.ts";
import { useTRPC } from "../../lib/trpc.ts";
import type { RouterOutputs } from "../../lib/types.ts";
import { DiffView } from "../DiffView.tsx";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { PageHeader } from "../PageHeader.tsx";
import { KeyHistoryLink } from "./KeyHistoryLink.tsx";
import { ReleaseRollbackDialog } from "./ReleaseRollbackDialog.tsx";
import "../screens/screens.css";
import "./releases.css";
import { keyCount } from "./keyCount.ts";

type Item = RouterOutputs["releases"]["get"]["items"][number];

function within(path: string, prefix: string): boolean {
  return prefix === "/" || path === prefix || path.startsWith(prefix + "/");
}

/** true while auth.me is unknown: the server refuses anyway, this only keeps the button honest */
function useCanPublishAll(paths: string[]): boolean {
  const me = useMe();
  if (!me.data) return true;
  const prefixes = me.data.permissions.publish;
  return paths.every((p) => prefixes.some((pre) => within(p, pre)));
}

export function ReleaseView({ id }: { id: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.releases.get.queryOptions({ id }));
  const [rolling, setRolling] = useState(false);
  const canPublish = useCanPublishAll(q.data?.items.map((i) => i.path) ?? []);
  if (q.isPending) return <div className="page skeleton">Loading release…</div>;
  if (q.isError)
    return (
      <div className="page">
        <ErrorAlert error={q.error} />
      </div>
    );
  const r = q.data;
  return (
    <div className="page" data-testid="release-page">
      <PageHeader
        title={`Release #${r.id}${r.title ? `: ${r.title}` : ""}`}
        description={
          <>
            {r.message} · {keyCount(r)} key(s) · {r.status}
            {r.rollbackOf && (
              <>
                {" "}
                · rollback of <Link href={`/releases/${r.rollbackOf}`}>#{r.rollbackOf}</Link>
              </>
            )}
          </>
        }
      >
        {canPublish && r.status === "published" && (
          <button
            type="button"
            className="btn btn-danger"
            data-testid="release-rollback"
            onClick={() => setRolling(true)}
          >
            Roll back this release
          </button>
        )}
      </PageHeader>
      <dl className="release-facts">
        <dt>Authors</dt>
        <dd>{r.authors.join(", ") || "—"}</dd>
        <dt>Approvers</dt>
        <dd>{r.approvers.join(", ") || "—"}</dd>
        <dt>Published by</dt>
        <dd>{r.publishedBy}</dd>
        <dt>When</dt>
        <dd>{dateTime(r.publishedAt ?? r.createdAt)}</dd>
        <dt>zxid</dt>
        <dd className="mono">{hex(r.zxid)}</dd>
        {r.changeId && (
          <>
            <dt>Change</dt>
            <dd className="mono">#{r.changeId}</dd>
          </>
        )}
      </dl>
      {r.items.map((i) => (
        <ReleaseKey key={i.path} item={i} releaseId={r.id} />
      ))}
      {rolling && <ReleaseRollbackDialog release={r} onClose={() => setRolling(false)} />}
    </div>
  );
}

/** Another client's bytes are no text to diff: the side shows their size (the release restores them as they were). */
function shown(content: string, encoding: string | undefined): string {
  if (encoding !== "base64") return content;
  return `(binary data, ${String(atob(content).length)} bytes, not UTF-8 text)`;
}

function ReleaseKey({ item, releaseId }: { item: Item; releaseId: string }) {
  const from = item.op === "create" ? "none" : `v${item.fromVersion}`;
  const to = item.op === "delete" ? "deleted" : item.toVersion === null ? "pending" : `v${item.toVersion}`;
  return (
    <section className="release-key" data-testid="release-key" data-path={item.path}>
      <h2 className="release-key-head">
        <Link href={nodeHref(item.path)} className="mono">
          {item.path}
        </Link>
        {item.op !== "update" && <span className={`badge badge-op-${item.op}`}>{item.op}</span>}
        {item.parent && (
          <span className="badge" title="An empty parent created for a key (or removed again by a rollback)">
            parent
          </span>
        )}
        <span className="muted small mono">
          {from} → {to}
        </span>
        <KeyHistoryLink path={item.path} releaseId={releaseId} label="history" />
      </h2>
      {/* a parent is empty on both sides: no diff to show */}
      {!item.parent && (
        <DiffView
          before={shown(item.fromContent, item.fromEncoding)}
          after={shown(item.toContent, item.toEncoding)}
          leftLabel={`before · ${from}`}
          rightLabel={`after · ${to}`}
          testId="release-diff"
        />
      )}
    </section>
  );
}
