/**
 * Durable writes: setData of 1 KB values, 1 writer and 64 concurrent writers (one session each,
 * closed loop: each writer awaits its previous write), for a fixed time each. Ours: the embedded
 * engine, in process, fsync on (group commit). Peer: standalone ZooKeeper with forceSync=yes,
 * over loopback, data dir on the same filesystem (the system temp dir).
 * `npx tsx bench/engine/run.ts [--quick] [--seconds 5] [--writers 1,64]`
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Session } from "@conifer/coordinator";
import { Engine } from "@conifer/engine";
import { createZooKeeperBackend } from "@conifer/zookeeper";
import { machine } from "../lib/machine.ts";
import { defined } from "../lib/defined.ts";
import { argValue, fmt, quick, summarize, table, versus } from "../lib/stats.ts";
import { startStandaloneZk } from "../lib/zookeeper.ts";

const seconds = Number(argValue("seconds", quick ? "2" : "5"));
const writerCounts = argValue("writers", "1,64").split(",").map(Number);
const value = Buffer.alloc(1024, 120);

interface Result {
  opsPerSec: number;
  p50: number;
  p99: number;
  perFsync?: string;
}

async function phase(sessions: Session[], stats?: () => { appends: number; batches: number }): Promise<Result> {
  const admin = defined(sessions[0], "first session");
  await admin.create("/bench").catch(() => {});
  await Promise.all(sessions.map((_, w) => admin.create(`/bench/w${w}`, value).catch(() => {})));
  // warm-up (JIT, page cache), then the measured run
  for (const ms of [500, seconds * 1000]) {
    const before = stats?.();
    const latencies: number[] = [];
    const start = performance.now();
    const deadline = start + ms;
    await Promise.all(
      sessions.map(async (s, w) => {
        while (performance.now() < deadline) {
          const t0 = performance.now();
          await s.setData(`/bench/w${w}`, value);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    if (ms === 500) continue;
    const elapsed = (performance.now() - start) / 1000;
    const after = stats?.();
    const s = summarize(latencies);
    const result: Result = { opsPerSec: latencies.length / elapsed, p50: s.p50, p99: s.p99 };
    if (before && after && after.batches > before.batches)
      result.perFsync = ((after.appends - before.appends) / (after.batches - before.batches)).toFixed(1);
    return result;
  }
  throw new Error("unreachable");
}

async function ours(writers: number): Promise<Result> {
  const dir = await mkdtemp(join(tmpdir(), "conifer-bench-engine-"));
  const engine = await Engine.open({ dataDir: dir, fsync: true });
  try {
    const sessions = await Promise.all(Array.from({ length: writers }, () => engine.connect()));
    return await phase(sessions, () => engine.stats().storage);
  } finally {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function peer(connectString: string, writers: number): Promise<Result> {
  const backend = createZooKeeperBackend({ connectString });
  const sessions = await Promise.all(Array.from({ length: writers }, () => backend.connect()));
  try {
    return await phase(sessions);
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
  }
}

console.log(`engine benchmark: ${machine()}`);
const zk = await startStandaloneZk();
const rows: (string | number)[][] = [];
try {
  for (const writers of writerCounts) {
    const o = await ours(writers);
    const p = await peer(zk.connectString, writers);
    rows.push([writers, ...versus(o.opsPerSec, p.opsPerSec, 0), ...versus(o.p99, p.p99, 2), o.perFsync ?? "-"]);
    console.log(`${writers} writer(s): engine ${fmt(o.opsPerSec, 0)} ops/s, ZooKeeper ${fmt(p.opsPerSec, 0)} ops/s`);
  }
} finally {
  await zk.stop();
}
console.log(`\nsetData 1 KB, durable (engine fsync on / ZooKeeper forceSync=yes), ${seconds} s per cell\n`);
console.log(
  table(
    [
      "writers",
      "engine ops/s",
      "ZooKeeper ops/s",
      "ratio",
      "engine p99 ms",
      "ZooKeeper p99 ms",
      "ratio",
      "engine writes/fsync",
    ],
    rows,
  ),
);
process.exit(0);
