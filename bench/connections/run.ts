/**
 * Connections: memory per idle connected client. The server (Conifer; peers: a plain `ws` server
 * and a bare socket.io server, the floor of anything built on socket.io) runs in its own process
 * with --expose-gc; RSS and JS heap + external memory after a full GC are read before and after
 * N clients connected, and the deltas are divided by N. Clients are spread over child processes.
 * The open-files hard limit caps one process's connections (reported when it bites).
 * `npx tsx bench/connections/run.ts [--quick] [--n 1000,10000,20000]`
 */
import { execSync } from "node:child_process";
import { machine } from "../lib/machine.ts";
import { defined } from "../lib/defined.ts";
import { spawnChild, split, type Child } from "../lib/procs.ts";
import { argValue, fmt, quick, ratio, sleep, table } from "../lib/stats.ts";

const hardLimit = Number(execSync("bash -c 'ulimit -Hn'").toString().trim()) || 65536;
// the server process needs a few descriptors of its own (engine log, database, listening socket)
const cap = hardLimit === Infinity ? Infinity : hardLimit - 200;
const requested = argValue("n", quick ? "500,2000" : "1000,10000,20000")
  .split(",")
  .map(Number);
const PER_WORKER = 5000;

interface Result {
  n: number;
  baseMiB: number;
  perClientKiB: number;
  heapPerClientKiB: number;
  connectS: number;
}

type Kind = "sdk" | "socketio" | "ws";
const SERVERS: Record<Kind, string> = {
  sdk: "../lib/server-child.ts",
  socketio: "./socketio-server.ts",
  ws: "./ws-server.ts",
};

async function measure(kind: Kind, n: number): Promise<Result> {
  const server = spawnChild(new URL(SERVERS[kind], import.meta.url), [], ["--expose-gc"]);
  const workers: Child[] = [];
  try {
    const { url, token } = await server.next<{ url: string; token?: string }>("ready");
    await sleep(1000);
    const before = await server.call<{ rss: number; heap: number }>({ type: "rss" });
    const parts = split(n, Math.ceil(n / PER_WORKER));
    for (let w = 0; w < parts.length; w++)
      workers.push(spawnChild(new URL("./worker.ts", import.meta.url), [], ["--max-old-space-size=4096"]));
    await Promise.all(workers.map((w) => w.next("ready")));
    const t0 = performance.now();
    await Promise.all(
      parts.map((count, i) =>
        defined(workers[i], `worker ${i}`).call({ type: "start", kind, url, token, count }, 900_000),
      ),
    );
    const connectS = (performance.now() - t0) / 1000;
    await sleep(2000); // let the handshakes' garbage become collectable
    const after = await server.call<{ rss: number; heap: number }>({ type: "rss" });
    return {
      n,
      baseMiB: before.rss / 2 ** 20,
      perClientKiB: (after.rss - before.rss) / n / 1024,
      heapPerClientKiB: (after.heap - before.heap) / n / 1024,
      connectS,
    };
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
  const sio = await measure("socketio", n);
  const peer = await measure("ws", n);
  const label = n < want ? `${n} (${want} asked; fd limit)` : String(n);
  const row = (name: string, r: Result) =>
    rows.push([label, name, fmt(r.baseMiB), fmt(r.perClientKiB), fmt(r.heapPerClientKiB), fmt(r.connectS)]);
  row("Conifer server (SDK clients)", ours);
  row("bare socket.io server", sio);
  row("plain ws server", peer);
  const ratioRow = (name: string, r: Result) =>
    rows.push([
      label,
      name,
      "",
      ratio(r.perClientKiB, peer.perClientKiB),
      ratio(r.heapPerClientKiB, peer.heapPerClientKiB),
      "",
    ]);
  ratioRow("ratio Conifer / ws", ours);
  ratioRow("ratio bare socket.io / ws", sio);
  console.log(
    `N=${n}: Conifer ${fmt(ours.perClientKiB)} KiB/client (heap ${fmt(ours.heapPerClientKiB)}), socket.io ${fmt(sio.perClientKiB)} (${fmt(sio.heapPerClientKiB)}), ws ${fmt(peer.perClientKiB)} (${fmt(peer.heapPerClientKiB)})`,
  );
}
console.log("\nserver memory per idle connected client, after a full GC: RSS delta, and JS heap + external delta\n");
console.log(
  table(["clients", "server", "RSS before MiB", "RSS KiB per client", "heap KiB per client", "connect s"], rows),
);
process.exit(0);
