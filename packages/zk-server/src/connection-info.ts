/**
 * What `cons` shows per connection (packets, last operation, latencies), and the four-letter
 * names ZooKeeper gives the last operation.
 */
import { OpCode } from "@conifer/zookeeper/wire";
import type { ServerCounters } from "./stats.ts";

export interface ConnectionInfo {
  remote: string;
  queued: number;
  recved: number;
  sent: number;
  sessionId: bigint | null;
  lastOp: string;
  established: number;
  timeoutMs: number;
  lastCxid: number;
  lastZxid: bigint;
  lastResponse: number;
  lastLatency: number;
  minLatency: number;
  avgLatency: number;
  maxLatency: number;
}

export const LAST_OP: Record<number, string> = {
  [OpCode.create]: "CREA",
  [OpCode.create2]: "CREA",
  [OpCode.createContainer]: "CREA",
  [OpCode.createTTL]: "CREA",
  [OpCode.delete]: "DELE",
  [OpCode.exists]: "EXIS",
  [OpCode.getData]: "GETD",
  [OpCode.setData]: "SETD",
  [OpCode.getACL]: "GETA",
  [OpCode.setACL]: "SETA",
  [OpCode.getChildren]: "GETC",
  [OpCode.getChildren2]: "GETC",
  [OpCode.sync]: "SYNC",
  [OpCode.ping]: "PING",
  [OpCode.multi]: "MULT",
  [OpCode.multiRead]: "MLTR",
  [OpCode.closeSession]: "CLOS",
  [OpCode.setWatches]: "SETW",
  [OpCode.setWatches2]: "STW2",
  [OpCode.addWatch]: "ADDW",
  [OpCode.auth]: "AUTH",
};

export function newConnectionInfo(remote: string, now: number): ConnectionInfo {
  return {
    remote,
    queued: 0,
    recved: 0,
    sent: 0,
    sessionId: null,
    lastOp: "NA",
    established: now,
    timeoutMs: 0,
    lastCxid: 0,
    lastZxid: 0n,
    lastResponse: now,
    lastLatency: 0,
    minLatency: 0,
    avgLatency: 0,
    maxLatency: 0,
  };
}

/** one connection's request latencies, into its ConnectionInfo and the server's counters */
export class LatencyTracker {
  private sum = 0;
  private count = 0;

  constructor(
    private readonly info: ConnectionInfo,
    private readonly counters: ServerCounters,
  ) {}

  record(ms: number): void {
    const i = this.info;
    i.lastLatency = ms;
    i.lastResponse = Date.now();
    i.minLatency = this.count === 0 ? ms : Math.min(i.minLatency, ms);
    i.maxLatency = Math.max(i.maxLatency, ms);
    this.sum += ms;
    this.count++;
    i.avgLatency = this.sum / this.count;
    this.counters.latency(ms);
  }
}
