/**
 * Fan-out load generator (one of a few processes): `count` watchers of one path, either Conifer
 * SDK clients or raw ZooKeeper sessions (data watch, re-read with getData on each event). Every
 * callback is timestamped per version; `all` is sent when every watcher here has a version.
 */
import type { ConiferClient } from "@conifer/sdk";
import { createZooKeeperBackend } from "@conifer/zookeeper";
import type { Session } from "@conifer/coordinator";
import { pool, serve } from "../lib/procs.ts";
import { loadClient } from "../lib/sdk-client.ts";
import { now } from "../lib/stats.ts";

const times = new Map<number, number[]>();
let count = 0;
const closers: (() => Promise<unknown>)[] = [];

function seen(version: number): void {
  let list = times.get(version);
  if (!list) times.set(version, (list = []));
  list.push(now());
  if (list.length === count) process.send?.({ type: "all", version });
}

async function sdkWatcher(url: string, token: string | undefined, path: string): Promise<void> {
  const c: ConiferClient = loadClient(url, token);
  closers.push(() => c.close());
  await new Promise<void>((resolve) => {
    c.watch(path, (_v, meta) => {
      seen(meta.version);
      resolve();
    });
  });
}

async function zkWatcher(backend: ReturnType<typeof createZooKeeperBackend>, path: string): Promise<void> {
  const s: Session = await backend.connect();
  closers.push(() => s.close());
  const read = async (): Promise<void> => {
    const r = await s.getData(path, () => void read().catch(() => {}));
    seen(r.stat.version);
  };
  await read();
}

serve({
  async start(msg) {
    count = Number(msg.count);
    const path = String(msg.path);
    const items = Array.from({ length: count }, (_, i) => i);
    if (msg.kind === "sdk")
      await pool(items, 200, () => sdkWatcher(String(msg.target), msg.token as string | undefined, path));
    else {
      const backend = createZooKeeperBackend({
        connectString: String(msg.target),
        sessionTimeoutMs: 40_000,
        connectDeadlineMs: 120_000,
      });
      await pool(items, 100, () => zkWatcher(backend, path));
    }
  },
  report() {
    return Promise.resolve({ times: Object.fromEntries(times) });
  },
  async stop() {
    await pool(closers, 500, (c) =>
      c().then(
        () => {},
        () => {},
      ),
    );
  },
});
process.send?.({ type: "ready" });
