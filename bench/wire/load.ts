/**
 * Closed-loop getData / setData load on one system from two load-generator processes
 * (bench/wire/worker.ts): latencies, errors, the server process's and the load generators' CPU
 * per cell and the server's writes per sync, summed over the measured rounds.
 */
import { cpuSeconds } from "../lib/machine.ts";
import { defined } from "../lib/defined.ts";
import { clientFlags, spawnChild, split, type Child } from "../lib/procs.ts";
import { Tally, type WorkerAnswer } from "../lib/tally.ts";
import { syncDelta, type SyncCounters } from "./sync-stats.ts";
import { GET_PATH, SET_PREFIX, type System } from "./systems.ts";

export interface OpResult {
  ops: number;
  p50: number;
  p99: number;
  errors: number;
  cpuUs: number;
  /** the load generators' CPU per op, µs */
  clientCpuUs: number;
  /** writes per sync (group commit) and mean sync ms, over the measured rounds */
  perSync: number;
  syncMs: number;
}

/** closed-loop getData / setData load on one system, from two processes */
export class Load {
  private readonly workers: Child[] = [0, 1].map(() =>
    spawnChild(new URL("./worker.ts", import.meta.url), [], clientFlags()),
  );
  private readonly ready = Promise.all(this.workers.map((w) => w.next("ready")));
  private readonly tally = new Tally();
  private readonly syncs = new Map<string, { a: SyncCounters; b: SyncCounters }>();

  constructor(
    private readonly sys: System,
    /** measured seconds per cell (all rounds), for ops/s */
    private readonly measuredS: number,
  ) {}

  async connect(sessions: number): Promise<void> {
    await this.ready;
    const parts = split(sessions, this.workers.length);
    await Promise.all(
      parts.map((n, i) =>
        defined(this.workers[i], `worker ${i}`).call(
          { type: "start", target: this.sys.connectString, sessions: n },
          300_000,
        ),
      ),
    );
  }

  async run(key: string, op: "get" | "set", clients: number, durationMs: number, record = true): Promise<void> {
    const sync0 = record && op === "set" ? await this.sys.syncCounters() : null;
    const cpu0 = cpuSeconds(this.sys.pid);
    const clientCpu0 = this.clientCpu();
    const parts = split(clients, this.workers.length);
    let base = 0;
    const answers = await Promise.all(
      parts.map((n, i) => {
        const msg = { type: "run", op, path: op === "get" ? GET_PATH : SET_PREFIX, clients: n, base, durationMs };
        base += n;
        return defined(this.workers[i], `worker ${i}`).call<WorkerAnswer>(msg, 300_000);
      }),
    );
    if (!record) return;
    this.tally.add(key, cpuSeconds(this.sys.pid) - cpu0, answers, this.clientCpu() - clientCpu0);
    if (sync0) {
      const sync1 = await this.sys.syncCounters();
      const seen = this.syncs.get(key);
      if (seen) {
        // summed over the rounds: the gaps between them (other system's turn) add nothing
        seen.b = {
          writes: seen.b.writes + sync1.writes - sync0.writes,
          syncs: seen.b.syncs + sync1.syncs - sync0.syncs,
          syncMs: seen.b.syncMs + sync1.syncMs - sync0.syncMs,
          timed: seen.b.timed + sync1.timed - sync0.timed,
        };
      } else this.syncs.set(key, { a: sync0, b: sync1 });
    }
  }

  result(key: string): OpResult {
    const { count, ...rest } = this.tally.result(key);
    const s = this.syncs.get(key);
    const { perSync, syncMs } = s ? syncDelta(s.a, s.b) : { perSync: NaN, syncMs: NaN };
    return { ops: count / this.measuredS, ...rest, perSync, syncMs };
  }

  private clientCpu(): number {
    return this.workers.reduce((sum, w) => sum + (w.proc.pid === undefined ? 0 : cpuSeconds(w.proc.pid)), 0);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.call({ type: "stop" }, 120_000).catch(() => {})));
    await Promise.all(this.workers.map((w) => w.kill(5000)));
  }
}
