/**
 * Cluster screen: which backend serves the tree. ZooKeeper: each member with role, zxid,
 * connections, latency. Embedded engine: data dir, zxid, sessions, watches (from `details`),
 * and its ZooKeeper client port with the wire sessions (ZooKeeperPort).
 */
"use client";
import { useQuery } from "@tanstack/react-query";
import { hex } from "../../lib/display.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { PageHeader } from "../PageHeader.tsx";
import { Cell, StackTable, type Column } from "../StackTable.tsx";
import { ZooKeeperPort } from "./ZooKeeperPort.tsx";
import "./screens.css";
import "./ClusterView.css";

const MEMBER_COLUMNS: readonly Column[] = [
  { label: "Member" },
  { label: "Role" },
  { label: "zxid" },
  { label: "Connections", className: "num" },
  { label: "Latency min/avg/max", className: "num" },
  { label: "Nodes", className: "num" },
];

export function ClusterView() {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.cluster.info.queryOptions(), refetchInterval: 5_000 });
  return (
    <div className="page">
      <PageHeader title="Cluster" description="The coordination backend that stores the tree." />
      {q.isPending && <div className="skeleton">Loading backend state…</div>}
      <ErrorAlert error={q.error} />
      {q.data && (
        <>
          <div className="stat-cards">
            <div className="stat-card">
              <span className="muted small">Backend</span>
              <strong data-testid="cluster-kind">{q.data.kind}</strong>
            </div>
            <div className="stat-card">
              <span className="muted small">Writes</span>
              <strong className={q.data.writable ? "ok-text" : "warn-text"}>
                {q.data.writable ? "accepted" : "refused (read-only)"}
              </strong>
            </div>
            <div className="stat-card">
              <span className="muted small">Members</span>
              <strong>{q.data.members.length}</strong>
            </div>
          </div>
          <p className="cluster-desc">{q.data.description}</p>
          {q.data.members.length > 0 && (
            <StackTable testId="members-table" columns={MEMBER_COLUMNS}>
              {q.data.members.map((m) => (
                <tr key={m.address}>
                  <Cell label="Member" className="mono">
                    {m.address}
                  </Cell>
                  <Cell label="Role">
                    <span className={`badge badge-role-${m.role}`}>{m.role}</span>
                    {m.error && <div className="error-text small">{m.error}</div>}
                  </Cell>
                  <Cell label="zxid" className="mono">
                    {m.zxid !== undefined ? hex(m.zxid) : "—"}
                  </Cell>
                  <Cell label="Connections" className="num">
                    {m.connections ?? "—"}
                  </Cell>
                  <Cell label="Latency" className="num">
                    {m.latencyMs !== undefined ? `${m.latencyMs.min}/${m.latencyMs.avg}/${m.latencyMs.max} ms` : "—"}
                  </Cell>
                  <Cell label="Nodes" className="num">
                    {m.nodeCount ?? "—"}
                  </Cell>
                </tr>
              ))}
            </StackTable>
          )}
          {Object.keys(q.data.details).length > 0 && (
            <div className="card">
              <table className="kv kv-plain" data-testid="cluster-details">
                <tbody>
                  {Object.entries(q.data.details).map(([k, v]) => (
                    <tr key={k}>
                      <th scope="row">{humanKey(k)}</th>
                      <td className="mono">
                        {/zxid/i.test(k) && /^\d+$/.test(String(v)) ? `${hex(String(v))} (${v})` : String(v)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <ZooKeeperPort />
    </div>
  );
}

function humanKey(k: string): string {
  const words = k.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
