/** Instances screen: app, host, and per path the applied version and how far behind it is. */
"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { dateTime, relativeTime } from "../../lib/display.ts";
import { errorMessage } from "../../lib/errors.ts";
import { nodeHref } from "../../lib/paths.ts";
import { useTRPC } from "../../lib/trpc.ts";

export function InstancesView() {
  const trpc = useTRPC();
  const [filter, setFilter] = useState("");
  const path = filter.trim();
  const q = useQuery({ ...trpc.instances.list.queryOptions(path.startsWith("/") ? { path } : {}), refetchInterval: 5_000 });
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Instances</h1>
          <p className="muted">Applications connected through the SDK right now, and the version of each config they have applied.</p>
        </div>
        <input className="input input-filter" placeholder="Filter by path, e.g. /payments" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter instances by path" />
      </div>
      {q.isPending && <div className="skeleton">Loading instances…</div>}
      {q.isError && <div className="panel-error" role="alert">{errorMessage(q.error)}</div>}
      {q.data && q.data.instances.length === 0 && (
        <div className="empty-state" data-testid="instances-empty">
          <h2>No instances connected{path ? ` for ${path}` : ""}</h2>
          <p>
            Start an application with the SDK — <code>createClient({"{ url: \"http://this-server\" }"})</code> then <code>watch(&quot;/your/config.json&quot;, …)</code> — and it shows up here while
            it is connected.
          </p>
        </div>
      )}
      {q.data && q.data.instances.length > 0 && (
        <div className="table-scroll card">
          <table className="table table-stack" data-testid="instances-table">
            <thead>
              <tr>
                <th>App</th>
                <th>Host</th>
                <th>Connected</th>
                <th>Config</th>
                <th>Applied</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {q.data.instances.flatMap((inst) => {
                const applied = inst.applied.length > 0 ? inst.applied : [null];
                return applied.map((a, i) => (
                  <tr key={inst.instanceId + (a?.path ?? "")} className={i > 0 ? "continued" : undefined}>
                    {i === 0 ? (
                      <>
                        <td data-label="App" rowSpan={applied.length}>
                          <strong>{inst.app}</strong>
                          <div className="muted small mono" title="instance id">
                            {inst.instanceId}
                          </div>
                        </td>
                        <td data-label="Host" rowSpan={applied.length} className="mono">
                          {inst.host}
                          <span className="muted"> · pid {inst.pid}</span>
                        </td>
                        <td data-label="Connected" rowSpan={applied.length} title={dateTime(inst.connectedAt)} className="nowrap">
                          {relativeTime(inst.connectedAt)}
                        </td>
                      </>
                    ) : null}
                    {a ? (
                      <>
                        <td data-label="Config" className="mono">
                          <Link href={nodeHref(a.path)}>{a.path}</Link>
                        </td>
                        <td data-label="Applied" className="mono nowrap">
                          v{a.version} <span className="muted">of v{a.latestVersion}</span>
                        </td>
                        <td data-label="Status">{a.behind > 0 ? <span className="badge badge-warn">{a.behind} behind</span> : <span className="badge badge-ok">up to date</span>}</td>
                      </>
                    ) : (
                      <td data-label="Config" colSpan={3} className="muted">
                        Nothing applied yet
                      </td>
                    )}
                  </tr>
                ));
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
