/**
 * N watchers of one path, spread over a few load-generator processes (bench/fanout/worker.ts:
 * Conifer SDK clients or raw ZooKeeper sessions that re-read with getData on every event), as
 * the fan-out benchmarks use them: set up, wait until every watcher has a version, collect
 * every watcher's callback times per version.
 */
import { defined } from "./defined.ts";
import { clientFlags, spawnChild, split, type Child } from "./procs.ts";
import { now } from "./stats.ts";

export interface WatcherTarget {
  kind: "sdk" | "zk";
  /** the server: an SDK URL or a ZooKeeper connect string */
  target: string;
  token?: string;
  path: string;
}

export class WatcherPool {
  private readonly workers: Child[];
  private readonly counts = new Map<number, number>();
  private readonly waiters = new Map<number, () => void>();
  /** listened for at once: a child's "ready" sent before anyone waits for it would be lost */
  private readonly ready: Promise<unknown>;
  /** seconds the last setup() took, worker processes' own start-up excluded */
  setupS = 0;

  constructor(
    private readonly n: number,
    processes = 2,
  ) {
    this.workers = split(n, processes).map(() =>
      spawnChild(new URL("../fanout/worker.ts", import.meta.url), [], ["--max-old-space-size=4096", ...clientFlags()]),
    );
    for (const w of this.workers)
      w.on("all", (m) => {
        const v = Number(m.version);
        this.counts.set(v, (this.counts.get(v) ?? 0) + 1);
        if (this.counts.get(v) === this.workers.length) this.waiters.get(v)?.();
      });
    this.ready = Promise.all(this.workers.map((w) => w.next("ready")));
  }

  /** connects every watcher and sets its watch */
  async setup(to: WatcherTarget): Promise<void> {
    await this.ready;
    const t0 = now();
    await Promise.all(
      split(this.n, this.workers.length).map((count, i) =>
        defined(this.workers[i], `worker ${i}`).call({ type: "start", ...to, count }, 600_000),
      ),
    );
    this.setupS = (now() - t0) / 1000;
  }

  /** resolves true once every watcher has `version`, false after timeoutMs */
  delivered(version: number, timeoutMs: number): Promise<boolean> {
    const all = new Promise<boolean>((resolve) => {
      if (this.counts.get(version) === this.workers.length) resolve(true);
      else this.waiters.set(version, () => resolve(true));
    });
    const timeout = new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref());
    return Promise.race([all, timeout]);
  }

  /** every watcher's callback times (ms, the shared clock of bench/lib/stats `now`) per version */
  async times(): Promise<Map<number, number[]>> {
    const reports = await Promise.all(
      this.workers.map((w) => w.call<{ times: Record<string, number[]> }>({ type: "report" })),
    );
    const out = new Map<number, number[]>();
    for (const r of reports)
      for (const [v, ts] of Object.entries(r.times)) out.set(Number(v), [...(out.get(Number(v)) ?? []), ...ts]);
    return out;
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.call({ type: "stop" }, 120_000).catch(() => {})));
    await Promise.all(this.workers.map((w) => w.kill(5000)));
  }
}
