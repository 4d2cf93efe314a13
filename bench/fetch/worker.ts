/**
 * Fetch load generator (one of two processes): `readers` closed-loop readers of one path for
 * `durationMs`, either socket.io `fetch` (the SDK's pull path, one socket per reader) or raw
 * ZooKeeper getData (one session per reader). Returns every latency in ms.
 */
import { io, type Socket } from "socket.io-client";
import { createZooKeeperBackend } from "@conifer/zookeeper";
import type { Session } from "@conifer/coordinator";
import { pool, serve } from "../lib/procs.ts";

type Reader = (path: string) => Promise<unknown>;
const readers: Reader[] = [];
const closers: (() => unknown)[] = [];

async function socketReader(url: string, token: string | undefined): Promise<Reader> {
  const socket: Socket = io(url, {
    path: "/socket.io",
    transports: ["websocket"],
    reconnection: false,
    ...(token ? { auth: { token } } : {}),
  });
  closers.push(() => socket.close());
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return async (path) => {
    const res = (await socket.emitWithAck("fetch", { path })) as { ok: boolean; error?: { message: string } };
    if (!res.ok) throw new Error(res.error?.message);
  };
}

async function zkReader(backend: ReturnType<typeof createZooKeeperBackend>): Promise<Reader> {
  const s: Session = await backend.connect();
  closers.push(() => s.close());
  return (path) => s.getData(path);
}

serve({
  async start(msg) {
    const count = Number(msg.readers) - readers.length;
    const backend = msg.kind === "zk" ? createZooKeeperBackend({ connectString: String(msg.target) }) : null;
    await pool(
      Array.from({ length: count }, (_, i) => i),
      32,
      async () => {
        readers.push(
          backend ? await zkReader(backend) : await socketReader(String(msg.target), msg.token as string | undefined),
        );
      },
    );
  },
  async run(msg) {
    const path = String(msg.path);
    const deadline = performance.now() + Number(msg.durationMs);
    const latencies: number[] = [];
    let errors = 0;
    await Promise.all(
      readers.map(async (read) => {
        while (performance.now() < deadline) {
          const t0 = performance.now();
          try {
            await read(path);
            latencies.push(performance.now() - t0);
          } catch {
            errors++;
          }
        }
      }),
    );
    return { latencies, errors };
  },
  async stop() {
    for (const c of closers) await c();
  },
});
process.send?.({ type: "ready" });
