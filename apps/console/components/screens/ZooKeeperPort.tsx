/**
 * The cluster screen's ZooKeeper part: the client port of an embedded install (or "off"), the
 * live wire sessions with the figures `cons` prints, and the `mntr` figures. Polled every few
 * seconds: sessions come and go with clients nobody in the console controls (zkCli, Curator).
 */
"use client";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { RouterOutputs } from "../../lib/types.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { Cell, StackTable, type Column } from "../StackTable.tsx";
import "./ZooKeeperPort.css";

type WireSession = Extract<RouterOutputs["cluster"]["zookeeper"], { open: true }>["sessions"][number];

/** one column of the sessions table: its header, its cells' style, and what it shows of a session */
const SESSION_COLUMNS: readonly (Column & { cell: string; show: (s: WireSession) => ReactNode })[] = [
  { label: "Client", cell: "mono", show: (s) => s.remote },
  { label: "Session", cell: "mono", show: (s) => s.sessionId ?? "connecting" },
  {
    label: "Timeout",
    className: "num",
    cell: "num",
    show: (s) => (s.sessionId === null ? "—" : `${s.timeoutMs} ms`),
  },
  { label: "Queued", className: "num", cell: "num", show: (s) => s.queued },
  { label: "Received", className: "num", cell: "num", show: (s) => s.received },
  { label: "Sent", className: "num", cell: "num", show: (s) => s.sent },
  { label: "Last op", cell: "mono", show: (s) => s.lastOp },
  { label: "Last zxid", cell: "mono", show: (s) => s.lastZxid },
];

export function ZooKeeperPort() {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.cluster.zookeeper.queryOptions(), refetchInterval: 3_000 });
  const door = q.data;
  return (
    <section className="zk-port" aria-labelledby="zk-port-title">
      <h2 id="zk-port-title" className="zk-port-title" data-testid="zk-port-title">
        ZooKeeper client port
      </h2>
      <ErrorAlert error={q.error} />
      {door && !door.open && (
        <p className="muted" data-testid="zk-port">
          <strong>off</strong> — ZooKeeper clients reach an embedded engine when <code>CONIFER_ZK_PORT</code> is set
          (default 2181; 0 turns it off).
        </p>
      )}
      {door?.open && (
        <>
          <div className="stat-cards">
            <div className="stat-card">
              <span className="muted small">Port</span>
              <strong className="mono" data-testid="zk-port">
                {door.host}:{door.port}
              </strong>
            </div>
            <div className="stat-card">
              <span className="muted small">Connections</span>
              <strong data-testid="zk-connection-count">{door.sessions.length}</strong>
            </div>
          </div>
          {door.sessions.length === 0 ? (
            <p className="muted" data-testid="zk-no-sessions">
              No ZooKeeper client is connected. Try{" "}
              <code>
                zkCli.sh -server {door.host}:{door.port}
              </code>
              .
            </p>
          ) : (
            <StackTable testId="zk-sessions" columns={SESSION_COLUMNS}>
              {door.sessions.map((s) => (
                <tr key={s.remote}>
                  {SESSION_COLUMNS.map((c) => (
                    <Cell key={c.label} label={c.label} className={c.cell}>
                      {c.show(s)}
                    </Cell>
                  ))}
                </tr>
              ))}
            </StackTable>
          )}
          <div className="card">
            <table className="kv kv-plain zk-mntr" data-testid="zk-mntr">
              <tbody>
                {door.mntr.map((m) => (
                  <tr key={m.key}>
                    <th scope="row" className="mono">
                      {m.key}
                    </th>
                    <td className="mono">{m.value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
