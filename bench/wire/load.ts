/**
 * Closed-loop getData / setData load on one system from two load-generator processes
 * (bench/wire/worker.ts): latencies, errors and the server process's CPU per cell, summed over
 * the measured rounds.
 */
import { cpuSeconds } from "../lib/machine.ts";
import { defined } from "../lib/defined.ts";
import { clientFlags, spawnChild, split, type Child } from "../lib/procs.ts";
import { Tally, type WorkerAnswer } from "../lib/tally.ts";
import { GET_PATH, SET_PREFIX, type System } from "./systems.ts";

export interface OpResult {
  ops: number;
  p50: number;
  p99: number;
  errors: number;
  cpuUs: number;
}

/** closed-loop getData / setData load on one system, from two processes */
export class Load {
  private readonly workers: Child[] = [0, 1].map(() =>
    spawnChild(new URL("./worker.ts", import.meta.url), [], clientFlags()),
  );
  private readonly ready = Promise.all(this.workers.map((w) => w.next("ready")));
  private readonly tally = new Tally();

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
    const cpu0 = cpuSeconds(this.sys.pid);
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
    this.tally.add(key, cpuSeconds(this.sys.pid) - cpu0, answers);
  }

  result(key: string): OpResult {
    const { count, ...rest } = this.tally.result(key);
    return { ops: count / this.measuredS, ...rest };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.call({ type: "stop" }, 120_000).catch(() => {})));
    await Promise.all(this.workers.map((w) => w.kill(5000)));
  }
}
