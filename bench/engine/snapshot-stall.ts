/**
 * How long a snapshot of a big tree stalls the engine's event loop. Builds N znodes of 1 KB
 * (fsync off unless --fsync), then keeps one closed-loop writer and one reader
 * (a getData every ~1 ms) running while the periodic snapshot fires, and reports the event
 * loop's longest stall (perf_hooks monitorEventLoopDelay), the longest gap between two
 * completed reads (what a client sees), and how long the snapshot took to land on disk. A first
 * window of the same probes without a snapshot shows the machine's own noise floor.
 * `npx tsx bench/engine/snapshot-stall.ts [--nodes 200000] [--bytes 1024] [--fsync] [--engine <module>]`
 * (`--engine` loads another build of the engine, e.g. an older commit's src/index.ts, to compare)
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Engine as EngineClass } from "@conifer/engine";
import { machine } from "../lib/machine.ts";
import { argValue, fmt, summarize, table } from "../lib/stats.ts";

const nodes = Number(argValue("nodes", "200000"));
const bytes = Number(argValue("bytes", "1024"));
const value = Buffer.alloc(bytes, 120);
const engineModule = argValue("engine", "@conifer/engine");
const fsync = process.argv.includes("--fsync");

async function snapshotNames(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.startsWith("snapshot.") && !n.endsWith(".tmp"));
}

type Session = Awaited<ReturnType<EngineClass["connect"]>>;

/**
 * Probes for one window: a reader every ~1 ms, and (withSnapshot) a closed-loop writer whose
 * writes make the periodic snapshot fire; the window ends 300 ms after the snapshot file landed
 * (or after 3 s without one).
 */
async function measure(s: Session, dir: string, withSnapshot: boolean): Promise<(string | number)[]> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const reads: number[] = [];
  const gaps: number[] = [];
  let writes = 0;
  let done = false;
  /** read through a call: `done` is set by the measuring code while the loops below await */
  const running = (): boolean => !done;
  histogram.enable();
  const started = performance.now();
  const writer = (async () => {
    while (withSnapshot && running()) {
      await s.setData("/probe", value);
      writes++;
    }
  })();
  const reader = (async () => {
    let last = performance.now();
    while (running()) {
      const r0 = performance.now();
      await s.getData("/probe");
      const now = performance.now();
      reads.push(now - r0);
      gaps.push(now - last);
      last = now;
      await new Promise((r) => setTimeout(r, 1));
    }
  })();
  if (withSnapshot) while ((await snapshotNames(dir)).length === 0) await new Promise((r) => setTimeout(r, 5));
  else await new Promise((r) => setTimeout(r, 3000));
  const landedMs = performance.now() - started;
  await new Promise((r) => setTimeout(r, 300));
  done = true;
  await Promise.all([writer, reader]);
  histogram.disable();
  const r = summarize(reads);
  const g = summarize(gaps);
  return [fmt(landedMs), fmt(histogram.max / 1e6), fmt(histogram.percentile(99) / 1e6), fmt(r.p99), fmt(g.max), writes];
}

async function main(): Promise<void> {
  const { Engine } = (await import(engineModule)) as { Engine: typeof EngineClass };
  const dir = await mkdtemp(join(tmpdir(), "conifer-bench-snapstall-"));
  // 1 createSession + 1 parent + N children, then the snapshot fires ~100 writes later
  const every = nodes + 100;
  const engine = await Engine.open({ dataDir: dir, fsync, snapshotEveryTxns: every });
  try {
    const s = await engine.connect();
    await s.create("/big");
    const t0 = performance.now();
    for (let i = 0; i < nodes; i += 1000) {
      const batch: Promise<unknown>[] = [];
      for (let j = i; j < Math.min(nodes, i + 1000); j++) batch.push(s.create(`/big/n${j}`, value));
      await Promise.all(batch);
    }
    console.log(
      `built ${nodes} znodes x ${bytes} B in ${((performance.now() - t0) / 1000).toFixed(1)} s; rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`,
    );
    await s.create("/probe", value);

    const rows: (string | number)[][] = [];
    const quiet = await measure(s, dir, false);
    rows.push(["no snapshot (noise floor)", ...quiet]);
    const during = await measure(s, dir, true);
    rows.push(["snapshot of the tree", ...during]);
    console.log(machine());
    console.log(`${nodes} znodes x ${bytes} B, fsync ${fsync ? "on" : "off"}, engine ${engineModule}`);
    console.log(
      table(
        [
          "window",
          "window ms",
          "loop stall max ms",
          "loop delay p99 ms",
          "read p99 ms",
          "longest gap between reads ms",
          "writes during",
        ],
        rows,
      ),
    );
  } finally {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
