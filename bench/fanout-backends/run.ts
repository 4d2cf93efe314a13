/**
 * Fan-out latency by backend: the time from a publish acknowledged by tRPC (`config.update`)
 * to ALL N SDK clients notified (their watch callback ran with the new version), for N = 100
 * and 500, on the embedded engine and on a real 3-node ZooKeeper ensemble (Debian's, started
 * here on loopback), printed side by side with the ratio. History is SQLite in both cases so
 * only the backend differs. Run: `npx tsx bench/fanout-backends/run.ts [publishes] [N,N...]`.
 * Not a test: numbers depend on how busy the machine is (clients, server and JVMs share it).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AppRouter } from "@conifer/api";
import { createClient, type ConiferClient } from "@conifer/sdk";
import { startEnsemble, zookeeperInstalled, type Ensemble } from "@conifer/zookeeper/testing";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { startServer } from "@conifer/server";
import { defined } from "../lib/defined.ts";

interface Stats {
  p50: number;
  p99: number;
  max: number;
  ack: number;
}

const ADMIN = { user: "bench-admin", password: "bench-password-1234" };
const publishes = Number(process.argv[2] ?? 20);
const sizes = (process.argv[3] ?? "100,500").split(",").map(Number);

function pct(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

async function measure(backendUrl: string, n: number): Promise<Stats> {
  const dir = await mkdtemp(join(tmpdir(), "conifer-bench-fanout-"));
  const server = await startServer({
    port: 0,
    host: "127.0.0.1",
    dataDir: dir,
    backendUrl,
    serveConsole: false,
    quiet: true,
    adminUser: ADMIN.user,
    adminPassword: ADMIN.password,
  });
  // one API token (read-write on "/") for the publisher and every SDK client, as an operator would mint
  const origin = { source: "api" as const, ip: "127.0.0.1" };
  const { principal } = await server.auth.login(ADMIN.user, ADMIN.password, origin);
  const { token } = await server.auth.tokens.create(
    principal,
    { name: "bench", prefixes: ["/"], access: "read-write" },
    origin,
  );
  const api = createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${server.url}/trpc`, headers: { authorization: `Bearer ${token}` } })],
  });
  const path = `/bench/fanout-${n}.json`;
  const clients: ConiferClient[] = [];
  try {
    let { stat } = await api.config.create.mutate({ path, content: '{"i":-1}', mode: "persistent" });
    // when each client saw each mzxid
    const seen = new Map<string, number[]>();
    for (let c = 0; c < n; c++) {
      const client = createClient({ url: server.url, app: "bench", token, requestTimeoutMs: 120_000 });
      clients.push(client);
      client.watch(path, (_v, meta) => {
        const at = performance.now();
        let list = seen.get(meta.mzxid);
        if (!list) seen.set(meta.mzxid, (list = []));
        list.push(at);
      });
    }
    await Promise.all(clients.map((c) => c.get(path)));
    const latencies: number[] = [];
    const acks: number[] = [];
    for (let i = 0; i < publishes; i++) {
      const t0 = performance.now();
      stat = (await api.config.update.mutate({ path, content: JSON.stringify({ i }), expectedVersion: stat.version }))
        .stat;
      const acked = performance.now();
      acks.push(acked - t0);
      const deadline = Date.now() + 120_000;
      while ((seen.get(stat.mzxid)?.length ?? 0) < n) {
        if (Date.now() > deadline) throw new Error(`only ${seen.get(stat.mzxid)?.length ?? 0}/${n} clients notified`);
        await new Promise((r) => setTimeout(r, 1));
      }
      // notifications can beat the HTTP answer: those count as 0 after the ack
      latencies.push(Math.max(0, Math.max(...defined(seen.get(stat.mzxid), `notifications of ${stat.mzxid}`)) - acked));
      await new Promise((r) => setTimeout(r, 50));
    }
    latencies.sort((a, b) => a - b);
    acks.sort((a, b) => a - b);
    return {
      p50: pct(latencies, 0.5),
      p99: pct(latencies, 0.99),
      max: defined(latencies.at(-1), "a latency sample"),
      ack: pct(acks, 0.5),
    };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const ms = (x: number) => `${x.toFixed(1)} ms`.padStart(10);

async function main(): Promise<void> {
  if (!zookeeperInstalled()) throw new Error("Debian's zookeeper package is not installed (apt-get install zookeeper)");
  const results: { n: number; embedded: Stats; zk: Stats }[] = [];
  let ensemble: Ensemble | undefined;
  try {
    ensemble = await startEnsemble({ size: 3, tickTimeMs: 500 });
    for (const n of sizes) {
      const embedded = await measure("embedded:", n);
      const zk = await measure(`zookeeper://${ensemble.connectString}`, n);
      results.push({ n, embedded, zk });
    }
  } finally {
    await ensemble?.stop();
  }
  console.log(
    `publish acknowledged → all N SDK clients notified (${publishes} publishes each; SQLite history; same machine)`,
  );
  console.log(
    `${"N".padStart(4)} ${"stat".padEnd(9)} ${"embedded".padStart(10)} ${"zk 3-node".padStart(10)} ${"ratio".padStart(7)}`,
  );
  for (const r of results) {
    for (const k of ["p50", "p99", "max", "ack"] as const) {
      const ratio = r.embedded[k] > 0 ? (r.zk[k] / r.embedded[k]).toFixed(2) : "n/a";
      const label = k === "ack" ? "ack p50" : k;
      console.log(
        `${String(r.n).padStart(4)} ${label.padEnd(9)} ${ms(r.embedded[k])} ${ms(r.zk[k])} ${ratio.padStart(7)}`,
      );
    }
  }
  console.log("(ack p50: time for config.update itself to be acknowledged, for reference)");
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
