/**
 * Fan-out: N watchers of one path, 50 publishes (closed loop: the next publish goes out when
 * every watcher has the previous one); latency = callback time − time the publish was
 * acknowledged. Ours: Conifer SDK clients, publishing through the domain function behind tRPC
 * `config.update` (in the server process, see lib/server-child.ts). Peer: raw
 * ZooKeeper sessions (standalone ZooKeeper) with a data watch re-reading with getData, publishing
 * with setData. Watchers live in two child processes; the server has its own process.
 * `npx tsx bench/fanout/run.ts [--quick] [--n 1000,5000] [--publishes 50]`
 */
import { createZooKeeperBackend } from "@conifer/zookeeper";
import { machine } from "../lib/machine.ts";
import { clientFlags, serverFlags, spawnChild, split, type Child } from "../lib/procs.ts";
import { argValue, fmt, now, quick, ratio, summarize, table, type Summary } from "../lib/stats.ts";
import { startStandaloneZk } from "../lib/zookeeper.ts";

const sizes = argValue("n", quick ? "200,1000" : "1000,5000,10000").split(",").map(Number);
const publishes = Number(argValue("publishes", quick ? "10" : "50"));
const WORKERS = 2;
const PATH = "/bench/fanout.json";
const content = (i: number) => JSON.stringify({ round: i, pad: "x".repeat(64) });

interface Result extends Summary {
  lost: number;
  setupS: number;
}

async function runRound(kind: "sdk" | "zk", target: string, token: string | undefined, n: number, publish: (i: number) => Promise<{ version: number; at: number }>): Promise<Result> {
  const t0 = now();
  const workers: Child[] = split(n, WORKERS).map(() => spawnChild(new URL("./worker.ts", import.meta.url), [], ["--max-old-space-size=4096", ...clientFlags()]));
  const allCounts = new Map<number, number>();
  const waiters = new Map<number, () => void>();
  for (const w of workers) {
    w.on("all", (m) => {
      const v = Number(m.version);
      allCounts.set(v, (allCounts.get(v) ?? 0) + 1);
      if (allCounts.get(v) === workers.length) waiters.get(v)?.();
    });
  }
  try {
    await Promise.all(workers.map((w) => w.next("ready")));
    await Promise.all(split(n, WORKERS).map((count, i) => workers[i]!.call({ type: "start", kind, target, token, path: PATH, count }, 600_000)));
    const setupS = (now() - t0) / 1000;
    const acks = new Map<number, number>();
    let lost = 0;
    for (let i = 1; i <= publishes; i++) {
      const { version, at } = await publish(i);
      acks.set(version, at);
      const delivered = new Promise<void>((resolve) => {
        if (allCounts.get(version) === workers.length) resolve();
        else waiters.set(version, resolve);
      });
      const timeout = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 60_000).unref());
      if ((await Promise.race([delivered, timeout])) === "timeout") lost++;
    }
    const reports = await Promise.all(workers.map((w) => w.call<{ times: Record<string, number[]> }>({ type: "report" })));
    const latencies: number[] = [];
    for (const r of reports) for (const [v, ts] of Object.entries(r.times)) {
      const ack = acks.get(Number(v));
      if (ack !== undefined) for (const t of ts) latencies.push(Math.max(0, t - ack));
    }
    await Promise.all(workers.map((w) => w.call({ type: "stop" }, 120_000).catch(() => {})));
    return { ...summarize(latencies), lost, setupS };
  } finally {
    await Promise.all(workers.map((w) => w.kill(5000)));
  }
}

console.log(`fan-out benchmark: ${machine()}`);
const rows: (string | number)[][] = [];
for (const n of sizes) {
  // ours: a fresh server process per N
  const server = spawnChild(new URL("../lib/server-child.ts", import.meta.url), [], serverFlags());
  const { url, token } = await server.next<{ url: string; token?: string }>("ready");
  let { version } = await server.call<{ version: number }>({ type: "write", path: PATH, content: content(0) });
  const ours = await runRound("sdk", url, token, n, async (i) => {
    const r = await server.call<{ version: number; at: number }>({ type: "write", path: PATH, content: content(i), expectedVersion: version });
    version = r.version;
    return r;
  });
  await server.call({ type: "close" }).catch(() => {});
  await server.kill(5000);

  if (process.argv.includes("--ours-only")) {
    console.log(`N=${n}: ours p50 ${fmt(ours.p50)} p99 ${fmt(ours.p99)} max ${fmt(ours.max)} ms`);
    continue;
  }
  // peer: a fresh standalone ZooKeeper per N
  const zk = await startStandaloneZk();
  const admin = await createZooKeeperBackend({ connectString: zk.connectString }).connect();
  await admin.create("/bench");
  await admin.create(PATH, Buffer.from(content(0)));
  const peer = await runRound("zk", zk.connectString, undefined, n, async (i) => {
    const { version } = await admin.setData(PATH, Buffer.from(content(i)));
    return { version, at: now() };
  });
  await admin.close();
  await zk.stop();

  for (const [name, r] of [["Conifer SDK", ours], ["ZooKeeper watch+getData", peer]] as const) {
    rows.push([n, name, fmt(r.p50), fmt(r.p99), fmt(r.max), r.n, r.lost, fmt(r.setupS)]);
  }
  rows.push([n, "ratio ours/peer", ratio(ours.p50, peer.p50), ratio(ours.p99, peer.p99), ratio(ours.max, peer.max), "", "", ""]);
  console.log(`N=${n}: ours p99 ${fmt(ours.p99)} ms, peer p99 ${fmt(peer.p99)} ms`);
}
console.log(`\n${publishes} publishes per N, latency from publish ack to watcher callback (ms)\n`);
console.log(table(["N", "system", "p50 ms", "p99 ms", "max ms", "callbacks", "timeouts", "setup s"], rows));
process.exit(0);
