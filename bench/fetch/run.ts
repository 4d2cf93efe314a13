/**
 * Fetch throughput: closed-loop readers of one config value (1 KB and 5 KB) at 64 and 256
 * concurrent readers, for a fixed time each. Ours: socket.io `fetch` on the Conifer server (the
 * SDK's pull path, served from the content cache). Peer: getData on a standalone ZooKeeper.
 * Readers are split over two child processes per system; the server has its own process. Both
 * systems run side by side and their measured runs alternate.
 * `npx tsx bench/fetch/run.ts [--quick] [--seconds 3] [--readers 64,256]`
 */
import { createZooKeeperBackend } from "@conifer/zookeeper";
import { cpuSeconds, machine } from "../lib/machine.ts";
import { defined } from "../lib/defined.ts";
import { serverFlags, spawnChild, split, type Child } from "../lib/procs.ts";
import { argValue, quick, table, versus } from "../lib/stats.ts";
import { Tally, type WorkerAnswer } from "../lib/tally.ts";
import { startStandaloneZk } from "../lib/zookeeper.ts";

const seconds = Number(argValue("seconds", quick ? "1" : "3"));
const ROUNDS = quick ? 2 : 3;
const concurrencies = argValue("readers", "64,256").split(",").map(Number);
const SIZES = [1024, 5120];
const pathFor = (size: number) => `/bench/fetch-${size / 1024}k.txt`;
const value = (size: number) => "c".repeat(size);

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** server process CPU (user + system) per read, in microseconds */
  cpuUs: number;
}

/** One system's readers, in two child processes. */
class Readers {
  readonly workers: Child[] = [
    spawnChild(new URL("./worker.ts", import.meta.url)),
    spawnChild(new URL("./worker.ts", import.meta.url)),
  ];
  private readonly ready = Promise.all(this.workers.map((w) => w.next("ready")));
  private readonly tally = new Tally();

  constructor(
    private readonly kind: "sdk" | "zk",
    private readonly target: string,
    /** the server's process (Conifer's node, ZooKeeper's JVM), for its CPU time */
    private readonly serverPid: number,
    private readonly token?: string,
  ) {}

  async connect(readers: number): Promise<void> {
    await this.ready;
    await Promise.all(
      split(readers, this.workers.length).map((r, i) =>
        defined(this.workers[i], `worker ${i}`).call(
          { type: "start", kind: this.kind, target: this.target, token: this.token, readers: r },
          300_000,
        ),
      ),
    );
  }

  async run(key: string, path: string, durationMs: number, record = true): Promise<void> {
    const cpu0 = cpuSeconds(this.serverPid);
    const parts = await Promise.all(this.workers.map((w) => w.call<WorkerAnswer>({ type: "run", path, durationMs })));
    if (!record) return;
    this.tally.add(key, cpuSeconds(this.serverPid) - cpu0, parts);
  }

  result(key: string): Result {
    const { count, ...rest } = this.tally.result(key);
    return { rps: count / (seconds * ROUNDS), ...rest };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.call({ type: "stop" }).catch(() => {})));
    await Promise.all(this.workers.map((w) => w.kill()));
  }
}

console.log(`fetch benchmark: ${machine()}; ${ROUNDS} alternating rounds of ${seconds} s per system and cell`);
const server = spawnChild(new URL("../lib/server-child.ts", import.meta.url), [], serverFlags());
const { url, token } = await server.next<{ url: string; token?: string }>("ready");
for (const size of SIZES) await server.call({ type: "write", path: pathFor(size), content: value(size) });
const zk = await startStandaloneZk();
const admin = await createZooKeeperBackend({ connectString: zk.connectString }).connect();
await admin.create("/bench");
for (const size of SIZES) await admin.create(pathFor(size), Buffer.from(value(size)));

// Both systems are up side by side and their runs alternate, so a shared machine's changing
// background load falls on both alike instead of on whichever ran second.
const ours = new Readers("sdk", url, defined(server.proc.pid, "server pid"), token);
const peer = new Readers("zk", zk.connectString, zk.pid);
for (const readers of concurrencies) {
  await ours.connect(readers);
  await peer.connect(readers);
  for (const size of SIZES) {
    const key = `${readers}/${size}`;
    await ours.run(key, pathFor(size), 500, false); // warm-up
    await peer.run(key, pathFor(size), 500, false);
    for (let r = 0; r < ROUNDS; r++) {
      await ours.run(key, pathFor(size), seconds * 1000);
      await peer.run(key, pathFor(size), seconds * 1000);
    }
  }
}
await ours.close();
await peer.close();
await server.call({ type: "close" }).catch(() => {});
await server.kill(5000);
await admin.close();
await zk.stop();

const rows: (string | number)[][] = [];
for (const readers of concurrencies) {
  for (const size of SIZES) {
    const o = ours.result(`${readers}/${size}`);
    const p = peer.result(`${readers}/${size}`);
    rows.push([
      readers,
      `${size / 1024} KB`,
      ...versus(o.rps, p.rps, 0),
      ...versus(o.p99, p.p99, 2),
      ...versus(o.cpuUs, p.cpuUs),
      o.errors + p.errors,
    ]);
  }
}
console.log(
  `\n${ROUNDS} x ${seconds} s per system and cell, alternating; closed-loop readers; reads/s and p99 latency (ms)\n`,
);
console.log(
  table(
    [
      "readers",
      "value",
      "Conifer reads/s",
      "ZooKeeper reads/s",
      "ratio",
      "Conifer p99",
      "ZooKeeper p99",
      "ratio",
      "Conifer server CPU µs/read",
      "ZooKeeper CPU µs/read",
      "ratio",
      "errors",
    ],
    rows,
  ),
);
process.exit(0);
