/**
 * Instances screen: app, host, labels, and per path the applied version and how far behind it
 * is. The path and label-selector filters are in the URL (`?path=/payments&selector=canary`), so
 * a filtered view is a link; a selector the server refuses is shown under its box, not as a page error.
 */
"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { dateTime, relativeTime } from "../../lib/display.ts";
import { nodeHref } from "../../lib/paths.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { useUrlFilter } from "../../lib/urlState.ts";
import { errorCode } from "../../lib/errors.ts";
import { ErrorAlert, FormError } from "../ErrorAlert.tsx";
import { PageHeader } from "../PageHeader.tsx";
import { PrefixFilter } from "../PrefixFilter.tsx";
import { Cell, StackTable, type Column } from "../StackTable.tsx";
import "./screens.css";

const FILTER_KEYS = ["path", "selector"] as const;

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
  const selector = filter.applied.selector.trim();
  const q = useQuery({
    ...trpc.instances.list.queryOptions({
      ...(path.startsWith("/") ? { path } : {}),
      ...(selector ? { selector } : {}),
    }),
    // a refused selector stays refused: retrying or polling it would only repeat the message
    refetchInterval: (query) => (errorCode(query.state.error) === "INVALID_INPUT" ? false : 5_000),
    retry: (failures, err) => errorCode(err) !== "INVALID_INPUT" && failures < 3,
  });
  const selectorError = selector && errorCode(q.error) === "INVALID_INPUT" ? q.error : null;
  return (
    <div className="page">
      <PageHeader
        title="Instances"
        description="Applications connected through the SDK right now, and the version of each config they have applied."
      >
        <div className="instances-filters">
          <PrefixFilter
            filter={filter}
            field="path"
            label="Filter instances by path"
            placeholder="Filter by path, e.g. /payments"
            testId="instances-prefix"
          />
          <PrefixFilter
            filter={filter}
            field="selector"
            label="Filter instances by label selector"
            placeholder="Labels, e.g. region=eu-1,!canary"
            testId="instances-selector"
          />
        </div>
      </PageHeader>
      <FormError error={selectorError} testId="instances-selector-error" />
      {q.isPending && <div className="skeleton">Loading instances…</div>}
      <ErrorAlert error={selectorError ? null : q.error} />
      {q.data && q.data.instances.length === 0 && (
        <div className="empty-state" data-testid="instances-empty">
          <h2>
            No instances connected{path ? ` for ${path}` : ""}
            {selector ? ` matching ${selector}` : ""}
          </h2>
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
                      <LabelBadges labels={inst.labels} />
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

/** An instance's labels as `key=value` badges, sorted so the same labels always read the same. */
function LabelBadges({ labels }: { labels: Record<string, string> }) {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return null;
  return (
    <div className="instance-labels" data-testid="instance-labels">
      {entries.map(([k, v]) => (
        <span key={k} className="badge badge-label">
          {k}={v}
        </span>
      ))}
    </div>
  );
}
