/**
 * The embedded engine behind @conifer/zk-server in its own process, set up as a real install
 * would be: a durable data dir under the system temp dir (the same filesystem as the peer
 * ZooKeeper's), fsync on, no connection cap (the peer runs with maxClientCnxns=0 too). Sends
 * `ready` with the connect string; closes and removes its data dir on `close` or when the
 * benchmark process goes away (IPC channel closed).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine } from "@conifer/engine";
import { ZkServer } from "@conifer/zk-server";
import { serve } from "../lib/procs.ts";

const dir = await mkdtemp(join(tmpdir(), "conifer-bench-wire-"));
const engine = await Engine.open({ dataDir: dir, fsync: true });
const server = await ZkServer.start({ engine, port: 0, host: "127.0.0.1", maxClientCnxns: 0 });

serve({
  /** group-commit counters: appends, write+sync rounds and the time in them so far */
  stats() {
    const { appends, batches, writeMs, fillMs } = engine.stats().storage;
    return Promise.resolve({ appends, batches, writeMs, fillMs });
  },
  async close() {
    await server.close();
    await engine.close();
    await rm(dir, { recursive: true, force: true });
    setTimeout(() => process.exit(0), 10);
  },
});
process.send?.({ type: "ready", connectString: `127.0.0.1:${server.port}`, pid: process.pid });
