/**
 * ZooKeeper wire benchmark: the same client (the repo's own @conifer/zookeeper) against the
 * embedded engine behind @conifer/zk-server (durable data dir, fsync on, as a real install) and a
 * standalone Apache ZooKeeper 3.8 (Debian's package, forceSync on), both up side by side, their
 * measured rounds alternating so a shared machine's background load falls on both alike.
 *
 * Rows: getData throughput at 64 and 256 concurrent requests (1 KB value, one session per
 * request in flight, closed loop); durable setData (1 KB) with 1 and 64 writers (each its own
 * node); watch + getData fan-out to N sessions (latency from issuing setData to each session
 * having re-read the new version, p50/p99 over every session and publish). Each server runs in
 * its own process, load generators in two processes per system (fan-out: bench/fanout's worker).
 * Nothing here asserts times.
 * `npx tsx bench/wire/run.ts [--quick] [--seconds 3] [--n 1000,5000] [--publishes 20]`
 */
import { createZooKeeperBackend } from "@conifer/zookeeper";
import type { Session } from "@conifer/coordinator";
import { cpuSeconds, machine } from "../lib/machine.ts";
import { defined } from "../lib/defined.ts";
import { clientFlags, serverFlags, spawnChild, split, type Child } from "../lib/procs.ts";
import { argValue, fmt, now, quick, sleep, summarize, table } from "../lib/stats.ts";
import { startStandaloneZk } from "../lib/zookeeper.ts";

const seconds = Number(argValue("seconds", quick ? "1" : "3"));
const ROUNDS = quick ? 2 : 3;
const READERS = [64, 256];
const WRITERS = [1, 64];
const fanouts = argValue("n", quick ? "200,1000" : "1000,5000")
  .split(",")
  .map(Number);
const publishes = Number(argValue("publishes", quick ? "5" : "20"));
const SETTLE_MS = quick ? 300 : 1000;
const DELIVERY_TIMEOUT_MS = 60_000;
const VALUE = Buffer.alloc(1024, "v");
const GET_PATH = "/bench/get";
const SET_PREFIX = "/bench/set";
const FANOUT_PATH = "/bench/fanout";

/** One system: its server process's pid, an admin session, and its load generators. */
interface System {
  name: string;
  connectString: string;
  pid: number;
  admin: Session;
  close(): Promise<void>;
}

async function engineSystem(): Promise<System> {
  const child = spawnChild(new URL("./server.ts", import.meta.url), [], serverFlags());
  const { connectString, pid } = await child.next<{ connectString: string; pid: number }>("ready", 120_000);
  const admin = await createZooKeeperBackend({ connectString }).connect();
  return {
    name: "engine (zk-server)",
    connectString,
    pid,
    admin,
    async close() {
      await admin.close().catch(() => {});
      await child.call({ type: "close" }, 60_000).catch(() => {});
      await child.kill(5000);
    },
  };
}

async function zookeeperSystem(): Promise<System> {
  const zk = await startStandaloneZk();
  const admin = await createZooKeeperBackend({ connectString: zk.connectString }).connect();
  return {
    name: "ZooKeeper 3.8",
    connectString: zk.connectString,
    pid: zk.pid,
    admin,
    async close() {
      await admin.close().catch(() => {});
      await zk.stop();
    },
  };
}

async function seed(s: System): Promise<void> {
  await s.admin.create("/bench");
  await s.admin.create(GET_PATH, VALUE);
  for (let i = 0; i < Math.max(...WRITERS); i++) await s.admin.create(`${SET_PREFIX}-${i}`, VALUE);
  await s.admin.create(FANOUT_PATH, VALUE);
}

interface OpResult {
  ops: number;
  p50: number;
  p99: number;
  errors: number;
  cpuUs: number;
}

/** closed-loop getData / setData load on one system, from two processes */
class Load {
  private readonly workers: Child[] = [0, 1].map(() =>
    spawnChild(new URL("./worker.ts", import.meta.url), [], clientFlags()),
  );
  private readonly ready = Promise.all(this.workers.map((w) => w.next("ready")));
  private readonly latencies = new Map<string, number[]>();
  private readonly errors = new Map<string, number>();
  private readonly cpu = new Map<string, number>();

  constructor(private readonly sys: System) {}

  async connect(sessions: number): Promise<void> {
    await this.ready;
    const parts = split(sessions, this.workers.length);
    await Promise.all(
      parts.map((n, i) =>
        defined(this.workers[i], `worker ${i}`).call(
          { type: "start", target: this.sys.connectString, sessions: n },
          300_000,
        ),
      ),
    );
  }

  async run(key: string, op: "get" | "set", clients: number, durationMs: number, record = true): Promise<void> {
    const cpu0 = cpuSeconds(this.sys.pid);
    const parts = split(clients, this.workers.length);
    let base = 0;
    const answers = await Promise.all(
      parts.map((n, i) => {
        const msg = { type: "run", op, path: op === "get" ? GET_PATH : SET_PREFIX, clients: n, base, durationMs };
        base += n;
        return defined(this.workers[i], `worker ${i}`).call<{ latencies: number[]; errors: number }>(msg, 300_000);
      }),
    );
    if (!record) return;
    this.cpu.set(key, (this.cpu.get(key) ?? 0) + cpuSeconds(this.sys.pid) - cpu0);
    this.latencies.set(key, [...(this.latencies.get(key) ?? []), ...answers.flatMap((a) => a.latencies)]);
    this.errors.set(key, (this.errors.get(key) ?? 0) + answers.reduce((a, p) => a + p.errors, 0));
  }

  result(key: string): OpResult {
    const all = this.latencies.get(key) ?? [];
    const s = summarize(all);
    return {
      ops: all.length / (seconds * ROUNDS),
      p50: s.p50,
      p99: s.p99,
      errors: this.errors.get(key) ?? 0,
      cpuUs: ((this.cpu.get(key) ?? 0) / Math.max(1, all.length)) * 1e6,
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.call({ type: "stop" }, 120_000).catch(() => {})));
    await Promise.all(this.workers.map((w) => w.kill(5000)));
  }
}

interface FanoutResult {
  p50: number;
  p99: number;
  /** median over publishes of the time until the last session had re-read */
  allP50: number;
  lost: number;
  setupS: number;
}

/** N watching sessions (watch + getData, bench/fanout's worker) on one system */
class Fanout {
  private readonly workers: Child[];
  private readonly ready: Promise<unknown>;
  private readonly counts = new Map<number, number>();
  private readonly waiters = new Map<number, () => void>();
  private readonly issued = new Map<number, number>();
  private readonly complete: number[] = [];
  private lost = 0;
  private setupS = 0;

  constructor(
    private readonly sys: System,
    private readonly n: number,
  ) {
    this.workers = split(n, 2).map(() =>
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

  async setup(): Promise<void> {
    await this.ready; // worker processes starting up are not session setup
    const t0 = now();
    await Promise.all(
      split(this.n, 2).map((count, i) =>
        defined(this.workers[i], `worker ${i}`).call(
          { type: "start", kind: "zk", target: this.sys.connectString, path: FANOUT_PATH, count },
          600_000,
        ),
      ),
    );
    this.setupS = (now() - t0) / 1000;
  }

  async publish(i: number): Promise<void> {
    const expected = defined((await this.sys.admin.exists(FANOUT_PATH))?.version, "fan-out node") + 1;
    let resolveDelivered = () => {};
    const delivered = new Promise<void>((r) => (resolveDelivered = r));
    this.waiters.set(expected, resolveDelivered);
    const t0 = now();
    this.issued.set(expected, t0);
    const { version } = (await this.sys.admin.setData(FANOUT_PATH, Buffer.from(`${i}:${VALUE.toString()}`))).stat;
    if (version !== expected) throw new Error(`${this.sys.name}: version ${version}, expected ${expected}`);
    const timeout = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), DELIVERY_TIMEOUT_MS).unref());
    if ((await Promise.race([delivered, timeout])) === "timeout") this.lost++;
    else this.complete.push(now() - t0);
    await sleep(SETTLE_MS);
  }

  async result(): Promise<FanoutResult> {
    const reports = await Promise.all(
      this.workers.map((w) => w.call<{ times: Record<string, number[]> }>({ type: "report" })),
    );
    const latencies: number[] = [];
    for (const r of reports)
      for (const [v, ts] of Object.entries(r.times)) {
        const t0 = this.issued.get(Number(v));
        if (t0 !== undefined) for (const t of ts) latencies.push(Math.max(0, t - t0));
      }
    const s = summarize(latencies);
    return { p50: s.p50, p99: s.p99, allP50: summarize(this.complete).p50, lost: this.lost, setupS: this.setupS };
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.call({ type: "stop" }, 120_000).catch(() => {})));
    await Promise.all(this.workers.map((w) => w.kill(5000)));
  }
}

console.log(`wire benchmark: ${machine()}; ${ROUNDS} alternating rounds of ${seconds} s per system and cell`);
const systems = [await engineSystem(), await zookeeperSystem()];
for (const s of systems) await seed(s);
const [ours, peer] = systems as [System, System];

/** higher-is-better figures: ours / peer; lower-is-better: peer / ours (>= 1.00x: engine as good or better) */
const better = (o: number, p: number, higher: boolean) =>
  !Number.isFinite(o) || !Number.isFinite(p) || o === 0 || p === 0 ? "-" : `${(higher ? o / p : p / o).toFixed(2)}x`;
const rows: (string | number)[][] = [];
const extra: (string | number)[][] = [];
const fanoutExtra: (string | number)[][] = [];

try {
  const loads = systems.map((s) => new Load(s)) as [Load, Load];
  try {
    const cells: { key: string; op: "get" | "set"; clients: number; label: string }[] = [
      ...READERS.map((c) => ({
        key: `get${c}`,
        op: "get" as const,
        clients: c,
        label: `getData 1 KB, ${c} concurrent`,
      })),
      ...WRITERS.map((c) => ({
        key: `set${c}`,
        op: "set" as const,
        clients: c,
        label: `setData 1 KB durable, ${c} writer${c > 1 ? "s" : ""}`,
      })),
    ];
    let connected = 0;
    for (const cell of cells) {
      if (cell.clients > connected) {
        for (const l of loads) await l.connect(cell.clients);
        connected = cell.clients;
      }
      for (const l of loads) await l.run(cell.key, cell.op, cell.clients, 500, false); // warm-up
      for (let r = 0; r < ROUNDS; r++)
        for (const l of loads) await l.run(cell.key, cell.op, cell.clients, seconds * 1000);
      const o = loads[0].result(cell.key);
      const p = loads[1].result(cell.key);
      const unit = cell.op === "get" ? "reads/s" : "writes/s";
      console.log(`${cell.label}: engine ${fmt(o.ops, 0)} ${unit}, ZooKeeper ${fmt(p.ops, 0)} ${unit}`);
      rows.push([cell.label, unit, fmt(o.ops, 0), fmt(p.ops, 0), better(o.ops, p.ops, true)]);
      extra.push([
        cell.label,
        fmt(o.p50, 2),
        fmt(p.p50, 2),
        fmt(o.p99, 2),
        fmt(p.p99, 2),
        fmt(o.cpuUs),
        fmt(p.cpuUs),
        o.errors + p.errors,
      ]);
    }
  } finally {
    for (const l of loads) await l.close();
  }

  for (const n of fanouts) {
    const sides = systems.map((s) => new Fanout(s, n)) as [Fanout, Fanout];
    try {
      for (const f of sides) await f.setup();
      for (let i = 1; i <= publishes; i++) for (const f of sides) await f.publish(i);
      const o = await sides[0].result();
      const p = await sides[1].result();
      const label = `watch + getData fan-out, ${n.toLocaleString("en-US")} sessions`;
      console.log(
        `${label}: engine p50 ${fmt(o.p50)} p99 ${fmt(o.p99)} ms, ZooKeeper p50 ${fmt(p.p50)} p99 ${fmt(p.p99)} ms`,
      );
      rows.push([label, "p50 ms", fmt(o.p50), fmt(p.p50), better(o.p50, p.p50, false)]);
      rows.push([label, "p99 ms", fmt(o.p99), fmt(p.p99), better(o.p99, p.p99, false)]);
      fanoutExtra.push([label, fmt(o.allP50), fmt(p.allP50), o.lost, p.lost, fmt(o.setupS), fmt(p.setupS)]);
    } finally {
      for (const f of sides) await f.stop();
    }
  }
} finally {
  for (const s of systems) await s.close();
}

console.log(
  `\n${ROUNDS} x ${seconds} s per system and cell, alternating; fan-out: ${publishes} publishes per N and system, alternating; ratio: engine vs ZooKeeper, >= 1.00x means the engine is as good or better\n`,
);
console.log(table(["row", "unit", ours.name, peer.name, "engine vs ZK"], rows));
console.log("\ndetails: latency (ms), server CPU per op (µs), errors\n");
console.log(
  table(["row", "engine p50", "ZK p50", "engine p99", "ZK p99", "engine CPU µs/op", "ZK CPU µs/op", "errors"], extra),
);
console.log(
  "\nfan-out details: time until the last session had re-read (ms, p50 over publishes), timeouts, session setup (s)\n",
);
console.log(
  table(
    ["row", "engine all re-read", "ZK all re-read", "engine timeouts", "ZK timeouts", "engine setup s", "ZK setup s"],
    fanoutExtra,
  ),
);
process.exit(0);
