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
 * `npx tsx bench/wire/run.ts [--quick] [--seconds 3] [--n 1000,5000] [--publishes 20] [--fanout-only]
 *  [--cells get256,set64] [--no-fanout]`
 * (`--fanout-only`: skips the getData / setData rows, e.g. to profile the fan-out alone;
 * `--cells`: only these getData / setData rows; `--no-fanout`: no fan-out rows)
 */
import { machine } from "../lib/machine.ts";
import { argValue, fmt, quick, table } from "../lib/stats.ts";
import { Fanout } from "./fanout.ts";
import { Load } from "./load.ts";
import { engineSystem, seed, zookeeperSystem, type System } from "./systems.ts";

const seconds = Number(argValue("seconds", quick ? "1" : "3"));
const ROUNDS = quick ? 2 : 3;
const READERS = [64, 256];
const WRITERS = [1, 64];
const fanouts = process.argv.includes("--no-fanout")
  ? []
  : argValue("n", quick ? "200,1000" : "1000,5000")
      .split(",")
      .map(Number);
const only = argValue("cells", "")
  .split(",")
  .filter((c) => c !== "");
/** unmeasured publishes per N and system before the measured ones */
const FANOUT_WARMUP = 2;
const publishes = Number(argValue("publishes", quick ? "5" : "20"));
const SETTLE_MS = quick ? 300 : 1000;
const fanoutOnly = process.argv.includes("--fanout-only");

console.log(`wire benchmark: ${machine()}; ${ROUNDS} alternating rounds of ${seconds} s per system and cell`);
const systems = [await engineSystem(), await zookeeperSystem()];
for (const s of systems) await seed(s, Math.max(...WRITERS));
const [ours, peer] = systems as [System, System];

/** higher-is-better figures: ours / peer; lower-is-better: peer / ours (>= 1.00x: engine as good or better) */
const better = (o: number, p: number, higher: boolean) =>
  !Number.isFinite(o) || !Number.isFinite(p) || o === 0 || p === 0 ? "-" : `${(higher ? o / p : p / o).toFixed(2)}x`;
const rows: (string | number)[][] = [];
const extra: (string | number)[][] = [];
const fanoutExtra: (string | number)[][] = [];

try {
  const loads = systems.map((s) => new Load(s, seconds * ROUNDS)) as [Load, Load];
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
    const chosen = fanoutOnly ? [] : cells.filter((c) => only.length === 0 || only.includes(c.key));
    for (const cell of chosen) {
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
        fmt(o.clientCpuUs),
        fmt(p.clientCpuUs),
        cell.op === "set" ? `${fmt(o.perSync)} / ${fmt(p.perSync)}` : "",
        cell.op === "set" ? `${fmt(o.syncMs, 2)} / ${fmt(p.syncMs, 2)}` : "",
        o.errors + p.errors,
      ]);
    }
  } finally {
    for (const l of loads) await l.close();
  }

  for (const n of fanouts) {
    const sides = systems.map((s) => new Fanout(s, n, SETTLE_MS)) as [Fanout, Fanout];
    try {
      for (const f of sides) await f.setup();
      // like the load cells' warm-up: the first publishes after setup pay for JIT and lazy paths on both sides
      for (let i = 1; i <= FANOUT_WARMUP; i++) for (const f of sides) await f.publish(-i, false);
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
  `\n${ROUNDS} x ${seconds} s per system and cell, alternating; fan-out: ${publishes} publishes per N and system after ${FANOUT_WARMUP} unmeasured, alternating; ratio: engine vs ZooKeeper, >= 1.00x means the engine is as good or better\n`,
);
console.log(table(["row", "unit", ours.name, peer.name, "engine vs ZK"], rows));
console.log(
  "\ndetails: latency (ms), server and load-generator CPU per op (µs), writes per sync and mean sync ms (engine / ZK), errors\n",
);
console.log(
  table(
    [
      "row",
      "engine p50",
      "ZK p50",
      "engine p99",
      "ZK p99",
      "engine CPU µs/op",
      "ZK CPU µs/op",
      "clients CPU (engine)",
      "clients CPU (ZK)",
      "writes/sync",
      "sync ms",
      "errors",
    ],
    extra,
  ),
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
