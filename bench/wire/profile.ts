/**
 * One wire benchmark row against the engine alone, for profiling: starts bench/wire/server.ts
 * (with `--cpu-prof` into BENCH_PROFILE when set) and runs closed-loop getData or setData from
 * one load-generator process for a fixed time, then prints ops/s, p50/p99 and the server's CPU
 * per op, and the engine's writes per fsync. No peer: compare with `run.ts`, not with this.
 * `BENCH_PROFILE=/tmp/prof npx tsx bench/wire/profile.ts --op set --clients 1 --seconds 10`
 */
import { createZooKeeperBackend } from "@conifer/zookeeper";
import { cpuSeconds } from "../lib/machine.ts";
import { serverFlags, spawnChild } from "../lib/procs.ts";
import { argValue, fmt, summarize } from "../lib/stats.ts";

const op = argValue("op", "set") === "get" ? "get" : "set";
const clients = Number(argValue("clients", "1"));
const seconds = Number(argValue("seconds", "10"));
const VALUE = Buffer.alloc(1024, "v");

const server = spawnChild(new URL("./server.ts", import.meta.url), [], serverFlags());
const { connectString, pid } = await server.next<{ connectString: string; pid: number }>("ready", 120_000);
const admin = await createZooKeeperBackend({ connectString }).connect();
await admin.create("/bench");
await admin.create("/bench/get", VALUE);
for (let i = 0; i < clients; i++) await admin.create(`/bench/set-${i}`, VALUE);

const worker = spawnChild(new URL("./worker.ts", import.meta.url));
await worker.next("ready");
await worker.call({ type: "start", target: connectString, sessions: clients }, 300_000);
const path = op === "get" ? "/bench/get" : "/bench/set";
await worker.call({ type: "run", op, path, clients, durationMs: 500 }, 300_000); // warm-up
type Stats = { appends: number; batches: number; writeMs: number; fillMs: number };
const before = await server.call<Stats>({ type: "stats" });
const clientCpu0 = worker.proc.pid === undefined ? NaN : cpuSeconds(worker.proc.pid);
const cpu0 = cpuSeconds(pid);
const res = await worker.call<{ latencies: number[]; errors: number }>(
  { type: "run", op, path, clients, durationMs: seconds * 1000 },
  300_000,
);
const cpu = cpuSeconds(pid) - cpu0;
const clientCpu = (worker.proc.pid === undefined ? NaN : cpuSeconds(worker.proc.pid)) - clientCpu0;
const after = await server.call<Stats>({ type: "stats" });
const s = summarize(res.latencies);
const syncs = Math.max(1, after.batches - before.batches);
const perFsync = (after.appends - before.appends) / syncs;
const perOp = (sec: number) => fmt((sec / Math.max(1, res.latencies.length)) * 1e6);
console.log(
  `${op} x${clients}: ${fmt(res.latencies.length / seconds, 0)} ops/s, p50 ${fmt(s.p50, 2)} ms, p99 ${fmt(s.p99, 2)} ms, ` +
    `server CPU ${perOp(cpu)} µs/op, load generator CPU ${perOp(clientCpu)} µs/op, ` +
    `${fmt(perFsync)} writes/fsync, ${fmt((after.writeMs - before.writeMs) / syncs, 2)} ms per synced write, ` +
    `log writer busy ${fmt(((after.writeMs - before.writeMs) / (seconds * 1000)) * 100, 1)} % writing, ` +
    `${fmt(((after.fillMs - before.fillMs) / (seconds * 1000)) * 100, 1)} % zero-filling, errors ${res.errors}`,
);
await worker.call({ type: "stop" }, 120_000);
await worker.kill(5000);
await admin.close();
await server.call({ type: "close" }, 60_000).catch(() => {});
await server.kill(5000);
process.exit(0);
