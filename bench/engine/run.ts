/**
 * Engine throughput and latency with durability on (fsync per group commit): create, setData
 * and getData, for 1 writer and for 64 concurrent writers (one session each, closed loop: each
 * writer awaits its previous op). Run with `npx tsx bench/engine/run.ts [opsPerWriter64]`.
 * Not a test: numbers depend on the disk and on how busy the machine is.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Session } from "@conifer/coordinator";
import { Engine } from "@conifer/engine";

interface Row {
  writers: number;
  op: string;
  ops: number;
  opsPerSec: number;
  p50: number;
  p99: number;
  groupCommit: string;
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

async function phase(
  engine: Engine,
  sessions: Session[],
  perWriter: number,
  op: string,
  run: (s: Session, w: number, i: number) => Promise<unknown>,
): Promise<Row> {
  const before = engine.stats().storage;
  const latencies: number[] = [];
  const start = performance.now();
  await Promise.all(
    sessions.map(async (s, w) => {
      for (let i = 0; i < perWriter; i++) {
        const t0 = performance.now();
        await run(s, w, i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const after = engine.stats().storage;
  latencies.sort((a, b) => a - b);
  const batches = after.batches - before.batches;
  return {
    writers: sessions.length,
    op,
    ops: latencies.length,
    opsPerSec: Math.round(latencies.length / seconds),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    groupCommit: batches > 0 ? ((after.appends - before.appends) / batches).toFixed(1) : "-",
  };
}

async function bench(writers: number, perWriter: number): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), "conifer-bench-engine-"));
  const engine = await Engine.open({ dataDir: dir, fsync: true });
  try {
    const sessions = await Promise.all(Array.from({ length: writers }, () => engine.connect()));
    const admin = sessions[0] as Session;
    await admin.create("/bench");
    for (let w = 0; w < writers; w++) await admin.create(`/bench/w${w}`);
    const value = Buffer.alloc(256, 120);
    const path = (w: number, i: number) => `/bench/w${w}/n${i}`;
    return [
      await phase(engine, sessions, perWriter, "create", (s, w, i) => s.create(path(w, i), value)),
      await phase(engine, sessions, perWriter, "setData", (s, w, i) => s.setData(path(w, i), value)),
      await phase(engine, sessions, perWriter, "getData", (s, w, i) => s.getData(path(w, i))),
    ];
  } finally {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const perWriter64 = Number(process.argv[2] ?? 40);
const rows = [...(await bench(1, perWriter64 * 8)), ...(await bench(64, perWriter64))];
console.log("engine benchmark, fsync on, 256-byte values, closed-loop writers\n");
console.log("writers  op        ops     ops/s   p50 ms   p99 ms  appends/fsync");
for (const r of rows) {
  console.log(
    `${String(r.writers).padStart(7)}  ${r.op.padEnd(8)} ${String(r.ops).padStart(5)} ${String(r.opsPerSec).padStart(9)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)}  ${r.groupCommit.padStart(13)}`,
  );
}
const w1 = rows.find((r) => r.writers === 1 && r.op === "create");
const w64 = rows.find((r) => r.writers === 64 && r.op === "create");
if (w1 && w64) console.log(`\ncreate throughput, 64 writers vs 1: x${(w64.opsPerSec / w1.opsPerSec).toFixed(1)} (group commit)`);
