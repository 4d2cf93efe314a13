/**
 * Instances screen: app, host, and per path the applied version and how far behind it is. The
 * path filter is in the URL (`?path=/payments`), so a filtered view is a link.
 */
"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { dateTime, relativeTime } from "../../lib/display.ts";
import { nodeHref } from "../../lib/paths.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { useUrlFilter } from "../../lib/urlState.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { PageHeader } from "../PageHeader.tsx";
import { PrefixFilter } from "../PrefixFilter.tsx";
import { Cell, StackTable, type Column } from "../StackTable.tsx";
import "./screens.css";

const FILTER_KEYS = ["path"] as const;

const COLUMNS: readonly Column[] = [
  { label: "App" },
  { label: "Host" },
  { label: "Connected" },
  { label: "Config" },
  { label: "Applied" },
  { label: "Status" },
];

export function InstancesView() {
  const trpc = useTRPC();
  const filter = useUrlFilter(FILTER_KEYS);
  const path = filter.applied.path.trim();
  const q = useQuery({
    ...trpc.instances.list.queryOptions(path.startsWith("/") ? { path } : {}),
    refetchInterval: 5_000,
  });
  return (
    <div className="page">
      <PageHeader
        title="Instances"
        description="Applications connected through the SDK right now, and the version of each config they have applied."
      >
        <PrefixFilter
          filter={filter}
          field="path"
          label="Filter instances by path"
          placeholder="Filter by path, e.g. /payments"
          testId="instances-prefix"
        />
      </PageHeader>
      {q.isPending && <div className="skeleton">Loading instances…</div>}
      <ErrorAlert error={q.error} />
      {q.data && q.data.instances.length === 0 && (
        <div className="empty-state" data-testid="instances-empty">
          <h2>No instances connected{path ? ` for ${path}` : ""}</h2>
          <p>
            Start an application with the SDK — <code>createClient({'{ url: "http://this-server" }'})</code> then{" "}
            <code>watch(&quot;/your/config.json&quot;, …)</code> — and it shows up here while it is connected.
          </p>
        </div>
      )}
      {q.data && q.data.instances.length > 0 && (
        <StackTable testId="instances-table" columns={COLUMNS}>
          {q.data.instances.flatMap((inst) => {
            const applied = inst.applied.length > 0 ? inst.applied : [null];
            return applied.map((a, i) => (
              <tr key={inst.instanceId + (a?.path ?? "")} className={i > 0 ? "continued" : undefined}>
                {i === 0 ? (
                  <>
                    <Cell label="App" rowSpan={applied.length}>
                      <strong>{inst.app}</strong>
                      <div className="muted small mono" title="instance id">
                        {inst.instanceId}
                      </div>
                      {inst.release !== undefined && (
                        <div className="muted small mono" title="newest release (multi-key publish) applied completely">
                          release at zxid {inst.release}
                        </div>
                      )}
                    </Cell>
                    <Cell label="Host" rowSpan={applied.length} className="mono">
                      {inst.host}
                      <span className="muted"> · pid {inst.pid}</span>
                    </Cell>
                    <Cell
                      label="Connected"
                      rowSpan={applied.length}
                      title={dateTime(inst.connectedAt)}
                      className="nowrap"
                    >
                      {relativeTime(inst.connectedAt)}
                    </Cell>
                  </>
                ) : null}
                {a ? (
                  <>
                    <Cell label="Config" className="mono">
                      <Link href={nodeHref(a.path)}>{a.path}</Link>
                    </Cell>
                    <Cell label="Applied" className="mono nowrap">
                      v{a.version} <span className="muted">of v{a.latestVersion}</span>
                    </Cell>
                    <Cell label="Status">
                      {a.behind > 0 ? (
                        <span className="badge badge-warn">{a.behind} behind</span>
                      ) : (
                        <span className="badge badge-ok">up to date</span>
                      )}
                    </Cell>
                  </>
                ) : (
                  <Cell label="Config" colSpan={3} className="muted">
                    Nothing applied yet
                  </Cell>
                )}
              </tr>
            ));
          })}
        </StackTable>
      )}
    </div>
  );
}
