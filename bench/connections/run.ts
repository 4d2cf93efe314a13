/**
 * Connections: memory per idle connected client. The server (Conifer, or a plain `ws` server as
 * the peer) runs in its own process with --expose-gc; RSS after a full GC is read before and after
 * N clients connected, and the delta is divided by N. Clients are spread over child processes.
 * The open-files hard limit caps one process's connections (reported when it bites).
 * `npx tsx bench/connections/run.ts [--quick] [--n 1000,10000,20000]`
 */
import { execSync } from "node:child_process";
import { machine } from "../lib/machine.ts";
import { spawnChild, split, type Child } from "../lib/procs.ts";
import { argValue, fmt, quick, ratio, sleep, table } from "../lib/stats.ts";

const hardLimit = Number(execSync("bash -c 'ulimit -Hn'").toString().trim()) || 65536;
// the server process needs a few descriptors of its own (engine log, database, listening socket)
const cap = hardLimit === Infinity ? Infinity : hardLimit - 200;
const requested = argValue("n", quick ? "500,2000" : "1000,10000,20000").split(",").map(Number);
const PER_WORKER = 5000;

interface Result {
  n: number;
  baseMiB: number;
  perClientKiB: number;
  connectS: number;
}

async function measure(kind: "sdk" | "ws", n: number): Promise<Result> {
  const server = spawnChild(new URL(kind === "sdk" ? "../lib/server-child.ts" : "./ws-server.ts", import.meta.url), [], ["--expose-gc"]);
  const workers: Child[] = [];
  try {
    const { url, token } = await server.next<{ url: string; token?: string }>("ready");
    await sleep(1000);
    const before = (await server.call<{ rss: number }>({ type: "rss" })).rss;
    const parts = split(n, Math.ceil(n / PER_WORKER));
    for (const _ of parts) workers.push(spawnChild(new URL("./worker.ts", import.meta.url), [], ["--max-old-space-size=4096"]));
    await Promise.all(workers.map((w) => w.next("ready")));
    const t0 = performance.now();
    await Promise.all(parts.map((count, i) => workers[i]!.call({ type: "start", kind, url, token, count }, 900_000)));
    const connectS = (performance.now() - t0) / 1000;
    await sleep(2000); // let the handshakes' garbage become collectable
    const after = (await server.call<{ rss: number }>({ type: "rss" })).rss;
    return { n, baseMiB: before / 2 ** 20, perClientKiB: (after - before) / n / 1024, connectS };
  } finally {
    await Promise.all(workers.map((w) => w.kill()));
    await server.call({ type: "close" }, 30_000).catch(() => {});
    await server.kill();
  }
}

console.log(`connections benchmark: ${machine()}; open-files hard limit ${hardLimit}`);
const rows: (string | number)[][] = [];
for (const want of requested) {
  const n = Math.min(want, cap);
  const ours = await measure("sdk", n);
  const peer = await measure("ws", n);
  const label = n < want ? `${n} (${want} asked; fd limit)` : String(n);
  rows.push([label, "Conifer server (socket.io)", fmt(ours.baseMiB), fmt(ours.perClientKiB), fmt(ours.connectS)]);
  rows.push([label, "plain ws server", fmt(peer.baseMiB), fmt(peer.perClientKiB), fmt(peer.connectS)]);
  rows.push([label, "ratio ours/peer", "", ratio(ours.perClientKiB, peer.perClientKiB), ""]);
  console.log(`N=${n}: ours ${fmt(ours.perClientKiB)} KiB/client, ws ${fmt(peer.perClientKiB)} KiB/client`);
}
console.log("\nserver RSS delta per idle connected client (after a full GC)\n");
console.log(table(["clients", "server", "RSS before MiB", "KiB per client", "connect s"], rows));
process.exit(0);
