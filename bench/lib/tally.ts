/**
 * What the load workers of a benchmark measured, summed per cell (`key`) over its rounds:
 * latencies, errors, and the server process's CPU seconds (and, when given, the load
 * generators'), reported as percentiles and CPU per request.
 */
import { summarize } from "./stats.ts";

/** one worker's answer to a `run` */
export interface WorkerAnswer {
  latencies: number[];
  errors: number;
}

export interface TallyResult {
  /** requests measured */
  count: number;
  p50: number;
  p99: number;
  errors: number;
  /** server CPU per request, µs */
  cpuUs: number;
  /** load generators' CPU per request, µs (NaN when not measured) */
  clientCpuUs: number;
}

export class Tally {
  private readonly latencies = new Map<string, number[]>();
  private readonly errors = new Map<string, number>();
  private readonly cpu = new Map<string, number>();
  private readonly clientCpu = new Map<string, number>();

  add(key: string, cpuSeconds: number, answers: WorkerAnswer[], clientCpuSeconds?: number): void {
    this.cpu.set(key, (this.cpu.get(key) ?? 0) + cpuSeconds);
    if (clientCpuSeconds !== undefined) this.clientCpu.set(key, (this.clientCpu.get(key) ?? 0) + clientCpuSeconds);
    this.latencies.set(key, [...(this.latencies.get(key) ?? []), ...answers.flatMap((a) => a.latencies)]);
    this.errors.set(key, (this.errors.get(key) ?? 0) + answers.reduce((a, p) => a + p.errors, 0));
  }

  result(key: string): TallyResult {
    const all = this.latencies.get(key) ?? [];
    const s = summarize(all);
    return {
      count: all.length,
      p50: s.p50,
      p99: s.p99,
      errors: this.errors.get(key) ?? 0,
      cpuUs: ((this.cpu.get(key) ?? 0) / Math.max(1, all.length)) * 1e6,
      clientCpuUs: ((this.clientCpu.get(key) ?? NaN) / Math.max(1, all.length)) * 1e6,
    };
  }
}
