/**
 * The ZooKeeper client port of an embedded install, as the console's cluster screen shows it:
 * the port (or none), the live wire connections with the figures `cons` prints, and the `mntr`
 * figures. The port itself (@conifer/zk-server) is opened by the server app after the domain
 * layer starts, so core only knows it by the shape of its `info()`: no dependency on the package.
 */

/** one connection as the wire server reports it (zk-server's ConnectionInfo, the fields shown) */
export interface WireConnectionSource {
  remote: string;
  queued: number;
  recved: number;
  sent: number;
  sessionId: bigint | null;
  lastOp: string;
  timeoutMs: number;
  lastZxid: bigint;
}

/** what core needs of a running wire server (zk-server's ZkServer satisfies it) */
export interface WireDoorSource {
  info(): {
    host: string;
    port: number;
    connections: readonly WireConnectionSource[];
    mntr: readonly (readonly [string, string | number])[];
  };
}

/** one live wire connection; ids and zxids as 0x hex strings, as `cons` prints them */
export interface WireSessionDTO {
  remote: string;
  /** null while the connection has not completed its handshake */
  sessionId: string | null;
  timeoutMs: number;
  queued: number;
  received: number;
  sent: number;
  lastOp: string;
  lastZxid: string;
}

export type WireDoorDTO =
  | { open: false }
  | {
      open: true;
      host: string;
      port: number;
      sessions: WireSessionDTO[];
      mntr: { key: string; value: string | number }[];
    };

function hex(n: bigint): string {
  return `0x${n.toString(16)}`;
}

export function wireDoorInfo(source: WireDoorSource | null): WireDoorDTO {
  if (!source) return { open: false };
  const info = source.info();
  return {
    open: true,
    host: info.host,
    port: info.port,
    sessions: info.connections.map((c) => ({
      remote: c.remote,
      sessionId: c.sessionId === null ? null : hex(c.sessionId),
      timeoutMs: c.timeoutMs,
      queued: c.queued,
      received: c.recved,
      sent: c.sent,
      lastOp: c.lastOp,
      lastZxid: hex(c.lastZxid),
    })),
    mntr: info.mntr.map(([key, value]) => ({ key, value })),
  };
}
