/**
 * Wire load generator (one of two processes per system): a pool of ZooKeeper sessions (the repo's
 * own @conifer/zookeeper client) on one server, and closed-loop getData or setData on them for a
 * fixed time. Each of the first `clients` sessions keeps one request in flight; `set` writes the
 * session's own node under the given prefix. Returns every latency in ms.
 */
import { createZooKeeperBackend } from "@conifer/zookeeper";
import type { Session } from "@conifer/coordinator";
import { pool, serve } from "../lib/procs.ts";

const sessions: Session[] = [];

serve({
  async start(msg) {
    const backend = createZooKeeperBackend({ connectString: String(msg.target), sessionTimeoutMs: 40_000 });
    const count = Number(msg.sessions) - sessions.length;
    await pool(
      Array.from({ length: Math.max(0, count) }, (_, i) => i),
      32,
      async () => {
        sessions.push(await backend.connect());
      },
    );
  },
  async run(msg) {
    const op = String(msg.op);
    const path = String(msg.path);
    const clients = Number(msg.clients);
    const base = Number(msg.base ?? 0);
    const data = Buffer.alloc(Number(msg.size ?? 1024), "w");
    const deadline = performance.now() + Number(msg.durationMs);
    const latencies: number[] = [];
    let errors = 0;
    await Promise.all(
      sessions.slice(0, clients).map(async (s, i) => {
        const own = `${path}-${base + i}`;
        while (performance.now() < deadline) {
          const t0 = performance.now();
          try {
            if (op === "get") await s.getData(path);
            else await s.setData(own, data);
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
    await pool(sessions.splice(0), 100, (s) =>
      s.close().then(
        () => {},
        () => {},
      ),
    );
  },
});
process.send?.({ type: "ready" });
