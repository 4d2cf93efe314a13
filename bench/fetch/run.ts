/**
 * Fetch throughput: closed-loop readers of one config value (1 KB and 5 KB) at 64 and 256
 * concurrent readers, for a fixed time each. Ours: socket.io `fetch` on the Conifer server (the
 * SDK's pull path, served from the content cache). Peer: getData on a standalone ZooKeeper.
 * Readers are split over two child processes; the server has its own process.
 * `npx tsx bench/fetch/run.ts [--quick] [--seconds 5]`
 */
import { createZooKeeperBackend } from "@conifer/zookeeper";
import { machine } from "../lib/machine.ts";
import { serverFlags, spawnChild, split, type Child } from "../lib/procs.ts";
import { argValue, fmt, quick, ratio, summarize, table } from "../lib/stats.ts";
import { startStandaloneZk } from "../lib/zookeeper.ts";

const seconds = Number(argValue("seconds", quick ? "2" : "5"));
const concurrencies = argValue("readers", "64,256").split(",").map(Number);
const SIZES = [1024, 5120];
const pathFor = (size: number) => `/bench/fetch-${size / 1024}k.txt`;
const value = (size: number) => "c".repeat(size);

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function measureAll(kind: "sdk" | "zk", target: string, token?: string): Promise<Map<string, Result>> {
  const workers: Child[] = [spawnChild(new URL("./worker.ts", import.meta.url)), spawnChild(new URL("./worker.ts", import.meta.url))];
  const out = new Map<string, Result>();
  try {
    await Promise.all(workers.map((w) => w.next("ready")));
    for (const readers of concurrencies) {
      await Promise.all(split(readers, workers.length).map((r, i) => workers[i]!.call({ type: "start", kind, target, token, readers: r }, 300_000)));
      for (const size of SIZES) {
        // a short warm-up, then the measured run
        await Promise.all(workers.map((w) => w.call({ type: "run", path: pathFor(size), durationMs: 500 })));
        const parts = await Promise.all(workers.map((w) => w.call<{ latencies: number[]; errors: number }>({ type: "run", path: pathFor(size), durationMs: seconds * 1000 })));
        const all = parts.flatMap((p) => p.latencies);
        const s = summarize(all);
        out.set(`${readers}/${size}`, { rps: all.length / seconds, p50: s.p50, p99: s.p99, errors: parts.reduce((a, p) => a + p.errors, 0) });
      }
    }
    await Promise.all(workers.map((w) => w.call({ type: "stop" }).catch(() => {})));
    return out;
  } finally {
    await Promise.all(workers.map((w) => w.kill()));
  }
}

console.log(`fetch benchmark: ${machine()}`);
const server = spawnChild(new URL("../lib/server-child.ts", import.meta.url), [], serverFlags());
const { url, token } = await server.next<{ url: string; token?: string }>("ready");
for (const size of SIZES) await server.call({ type: "write", path: pathFor(size), content: value(size) });
const ours = await measureAll("sdk", url, token);
await server.call({ type: "close" }).catch(() => {});
await server.kill(5000);

const zk = await startStandaloneZk();
const admin = await createZooKeeperBackend({ connectString: zk.connectString }).connect();
await admin.create("/bench");
for (const size of SIZES) await admin.create(pathFor(size), Buffer.from(value(size)));
const peer = await measureAll("zk", zk.connectString);
await admin.close();
await zk.stop();

const rows: (string | number)[][] = [];
for (const readers of concurrencies) {
  for (const size of SIZES) {
    const o = ours.get(`${readers}/${size}`)!;
    const p = peer.get(`${readers}/${size}`)!;
    rows.push([readers, `${size / 1024} KB`, fmt(o.rps, 0), fmt(p.rps, 0), ratio(o.rps, p.rps), fmt(o.p99, 2), fmt(p.p99, 2), ratio(o.p99, p.p99), o.errors + p.errors]);
  }
}
console.log(`\n${seconds} s per cell, closed-loop readers; reads/s and p99 latency (ms)\n`);
console.log(table(["readers", "value", "Conifer reads/s", "ZooKeeper reads/s", "ratio", "Conifer p99", "ZooKeeper p99", "ratio", "errors"], rows));
process.exit(0);
