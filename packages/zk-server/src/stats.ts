/** Server-wide counters for srvr, stat and mntr: packets in and out, request latency. */
import type { Connection } from "./connection.ts";

export class ServerCounters {
  received = 0;
  sent = 0;
  minLatency = 0;
  maxLatency = 0;
  private latencySum = 0;
  private latencyCount = 0;

  constructor(readonly closed: (c: Connection) => void) {}

  latency(ms: number): void {
    this.minLatency = this.latencyCount === 0 ? ms : Math.min(this.minLatency, ms);
    this.maxLatency = Math.max(this.maxLatency, ms);
    this.latencySum += ms;
    this.latencyCount++;
  }

  get avgLatency(): number {
    return this.latencyCount === 0 ? 0 : this.latencySum / this.latencyCount;
  }

  get requests(): number {
    return this.latencyCount;
  }
}
