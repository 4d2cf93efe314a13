/**
 * Watch + getData fan-out on one system: N sessions (bench/lib/watcher-pool.ts), each with a
 * data watch that re-reads; a publish is a setData of the admin session; latency runs from
 * issuing setData to each session having re-read that version.
 */
import { defined } from "../lib/defined.ts";
import { now, sleep, summarize } from "../lib/stats.ts";
import { WatcherPool } from "../lib/watcher-pool.ts";
import { FANOUT_PATH, VALUE, type System } from "./systems.ts";

const DELIVERY_TIMEOUT_MS = 60_000;

export interface FanoutResult {
  p50: number;
  p99: number;
  /** median over publishes of the time until the last session had re-read */
  allP50: number;
  lost: number;
  setupS: number;
}

export class Fanout {
  private readonly pool: WatcherPool;
  private readonly issued = new Map<number, number>();
  private readonly complete: number[] = [];
  private lost = 0;

  constructor(
    private readonly sys: System,
    n: number,
    private readonly settleMs: number,
  ) {
    this.pool = new WatcherPool(n, 2);
  }

  setup(): Promise<void> {
    return this.pool.setup({ kind: "zk", target: this.sys.connectString, path: FANOUT_PATH });
  }

  /** `measured: false` is a warm-up publish: delivered and waited for, left out of the result */
  async publish(i: number, measured = true): Promise<void> {
    const expected = defined((await this.sys.admin.exists(FANOUT_PATH))?.version, "fan-out node") + 1;
    const t0 = now();
    if (measured) this.issued.set(expected, t0);
    const { version } = (await this.sys.admin.setData(FANOUT_PATH, Buffer.from(`${i}:${VALUE.toString()}`))).stat;
    if (version !== expected) throw new Error(`${this.sys.name}: version ${version}, expected ${expected}`);
    const delivered = await this.pool.delivered(expected, DELIVERY_TIMEOUT_MS);
    if (!measured) {
      if (!delivered) throw new Error(`${this.sys.name}: warm-up publish ${i} not delivered`);
    } else if (delivered) this.complete.push(now() - t0);
    else this.lost++;
    await sleep(this.settleMs);
  }

  async result(): Promise<FanoutResult> {
    const latencies: number[] = [];
    for (const [v, ts] of await this.pool.times()) {
      const t0 = this.issued.get(v);
      if (t0 !== undefined) for (const t of ts) latencies.push(Math.max(0, t - t0));
    }
    const s = summarize(latencies);
    return { p50: s.p50, p99: s.p99, allP50: summarize(this.complete).p50, lost: this.lost, setupS: this.pool.setupS };
  }

  stop(): Promise<void> {
    return this.pool.stop();
  }
}
