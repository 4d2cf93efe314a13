/**
 * Fan-out: N watchers of one path, 30 publishes (closed loop: the next publish goes out when
 * every watcher has the previous one, after a settle pause); latency = callback time − time the publish was
 * acknowledged. Ours: Conifer SDK clients, publishing through the domain function behind tRPC
 * `config.update` (in the server process, see lib/server-child.ts). Peer: raw
 * ZooKeeper sessions (standalone ZooKeeper) with a data watch re-reading with getData, publishing
 * with setData. Each system's watchers live in two child processes; the server has its own.
 *
 * Both systems are set up side by side and their publishes alternate (ours, peer, ours, ...), so
 * a shared machine's changing background load falls on both alike instead of on whichever ran
 * second. `--sequential` runs ours then the peer instead (half the processes at a time).
 * `npx tsx bench/fanout/run.ts [--quick] [--n 1000,5000] [--publishes 30] [--settle-ms 2000] [--ours-only]`
 */
import { createZooKeeperBackend, type ZooKeeperBackendOptions } from "@conifer/zookeeper";
import type { Session } from "@conifer/coordinator";
import { cpuSeconds, machine } from "../lib/machine.ts";
import { defined } from "../lib/defined.ts";
import { serverFlags, spawnChild } from "../lib/procs.ts";
import { WatcherPool } from "../lib/watcher-pool.ts";
import { argValue, fmt, now, quick, ratio, sleep, summarize, table, type Summary } from "../lib/stats.ts";
import { startStandaloneZk } from "../lib/zookeeper.ts";

const sizes = argValue("n", quick ? "200,1000" : "1000,5000,10000")
  .split(",")
  .map(Number);
const publishes = Number(argValue("publishes", quick ? "10" : "30"));
const oursOnly = process.argv.includes("--ours-only");
const sequential = process.argv.includes("--sequential");
const WORKERS = 2;
const PATH = "/bench/fanout.json";
const content = (i: number) => JSON.stringify({ round: i, pad: "x".repeat(64) });
const DELIVERY_TIMEOUT_MS = 60_000;
/**
 * Pause after each delivered publish, inside the measured CPU window: work a system does after
 * its watchers have the value (the SDK's `applied` reports, 0.5–1.5 s later; garbage collection)
 * is counted as its own and cannot land in the other system's turn.
 */
const SETTLE_MS = Number(argValue("settle-ms", quick ? "500" : "2000"));

interface Result extends Summary {
  lost: number;
  setupS: number;
  /** server process CPU (user + system) per delivered change per watcher, in microseconds */
  cpuUs: number;
}

/** One system under test: its watchers (in worker processes) and how to publish to it. */
class Side {
  private readonly pool: WatcherPool;
  private readonly acks = new Map<number, number>();
  private lost = 0;
  private cpu = 0;

  constructor(
    private readonly kind: "sdk" | "zk",
    private readonly target: string,
    private readonly token: string | undefined,
    n: number,
    /** the server's process (Conifer's node, ZooKeeper's JVM), for its CPU time */
    private readonly serverPid: number,
    private readonly publishOnce: (i: number) => Promise<{ version: number; at: number }>,
  ) {
    this.pool = new WatcherPool(n, WORKERS);
  }

  get setupS(): number {
    return this.pool.setupS;
  }

  setup(): Promise<void> {
    return this.pool.setup({
      kind: this.kind,
      target: this.target,
      ...(this.token ? { token: this.token } : {}),
      path: PATH,
    });
  }

  /** publishes once and waits until every watcher has it */
  async publish(i: number): Promise<void> {
    const cpu0 = cpuSeconds(this.serverPid);
    const { version, at } = await this.publishOnce(i);
    this.acks.set(version, at);
    if (!(await this.pool.delivered(version, DELIVERY_TIMEOUT_MS))) this.lost++;
    await sleep(SETTLE_MS);
    this.cpu += cpuSeconds(this.serverPid) - cpu0;
  }

  async result(): Promise<Result> {
    const latencies: number[] = [];
    for (const [v, ts] of await this.pool.times()) {
      const ack = this.acks.get(v);
      if (ack !== undefined) for (const t of ts) latencies.push(Math.max(0, t - ack));
    }
    return {
      ...summarize(latencies),
      lost: this.lost,
      setupS: this.setupS,
      cpuUs: (this.cpu / Math.max(1, latencies.length)) * 1e6,
    };
  }

  stop(): Promise<void> {
    return this.pool.stop();
  }
}

/** a fresh Conifer server process: its side, and how to shut it down */
async function conifer(n: number): Promise<{ side: Side; close: () => Promise<void> }> {
  const server = spawnChild(new URL("../lib/server-child.ts", import.meta.url), [], serverFlags());
  const { url, token } = await server.next<{ url: string; token?: string }>("ready");
  let { version } = await server.call<{ version: number }>({ type: "write", path: PATH, content: content(0) });
  const side = new Side("sdk", url, token, n, defined(server.proc.pid, "server pid"), async (i) => {
    const r = await server.call<{ version: number; at: number }>({
      type: "write",
      path: PATH,
      content: content(i),
      expectedVersion: version,
    });
    version = r.version;
    return r;
  });
  return {
    side,
    close: async () => {
      await server.call({ type: "close" }).catch(() => {});
      await server.kill(5000);
    },
  };
}

/** a fresh standalone ZooKeeper: its side, and how to shut it down */
async function zookeeper(n: number): Promise<{ side: Side; close: () => Promise<void> }> {
  const zk = await startStandaloneZk();
  const options: ZooKeeperBackendOptions = { connectString: zk.connectString };
  const admin: Session = await createZooKeeperBackend(options).connect();
  await admin.create("/bench");
  await admin.create(PATH, Buffer.from(content(0)));
  const side = new Side("zk", zk.connectString, undefined, n, zk.pid, async (i) => {
    const { version } = (await admin.setData(PATH, Buffer.from(content(i)))).stat;
    return { version, at: now() };
  });
  return {
    side,
    close: async () => {
      await admin.close();
      await zk.stop();
    },
  };
}

async function measure(systems: { side: Side; close: () => Promise<void> }[]): Promise<Result[]> {
  try {
    for (const s of systems) await s.side.setup();
    for (let i = 1; i <= publishes; i++) for (const s of systems) await s.side.publish(i);
    const results: Result[] = [];
    for (const s of systems) results.push(await s.side.result());
    return results;
  } finally {
    for (const s of systems) {
      await s.side.stop();
      await s.close();
    }
  }
}

console.log(
  `fan-out benchmark: ${machine()}${oursOnly ? "" : sequential ? "; ours, then the peer" : "; publishes alternate between ours and the peer"}`,
);
const rows: (string | number)[][] = [];
for (const n of sizes) {
  let ours: Result;
  let peer: Result | undefined;
  if (oursOnly) [ours] = (await measure([await conifer(n)])) as [Result];
  else if (sequential) {
    [ours] = (await measure([await conifer(n)])) as [Result];
    [peer] = (await measure([await zookeeper(n)])) as [Result];
  } else [ours, peer] = (await measure([await conifer(n), await zookeeper(n)])) as [Result, Result];

  rows.push([
    n,
    "Conifer SDK",
    fmt(ours.p50),
    fmt(ours.p99),
    fmt(ours.max),
    fmt(ours.cpuUs),
    ours.n,
    ours.lost,
    fmt(ours.setupS),
  ]);
  if (!peer) {
    console.log(`N=${n}: ours p50 ${fmt(ours.p50)} p99 ${fmt(ours.p99)} max ${fmt(ours.max)} ms`);
    continue;
  }
  rows.push([
    n,
    "ZooKeeper watch+getData",
    fmt(peer.p50),
    fmt(peer.p99),
    fmt(peer.max),
    fmt(peer.cpuUs),
    peer.n,
    peer.lost,
    fmt(peer.setupS),
  ]);
  rows.push([
    n,
    "ratio ours/peer",
    ratio(ours.p50, peer.p50),
    ratio(ours.p99, peer.p99),
    ratio(ours.max, peer.max),
    ratio(ours.cpuUs, peer.cpuUs),
    "",
    "",
    "",
  ]);
  console.log(`N=${n}: ours p99 ${fmt(ours.p99)} ms, peer p99 ${fmt(peer.p99)} ms`);
}
console.log(`\n${publishes} publishes per N and system, latency from publish ack to watcher callback (ms)\n`);
console.log(
  table(
    ["N", "system", "p50 ms", "p99 ms", "max ms", "server CPU µs/callback", "callbacks", "timeouts", "setup s"],
    rows,
  ),
);
process.exit(0);
