/**
 * The two systems the wire benchmark measures, each in its own process: the embedded engine
 * behind @conifer/zk-server (bench/wire/server.ts) and a standalone Apache ZooKeeper; an admin
 * session on each, and the nodes every row reads or writes.
 */
import { createZooKeeperBackend } from "@conifer/zookeeper";
import type { Session } from "@conifer/coordinator";
import { serverFlags, spawnChild } from "../lib/procs.ts";
import { startStandaloneZk } from "../lib/zookeeper.ts";
import { zookeeperSyncCounters, type SyncCounters } from "./sync-stats.ts";

export const VALUE = Buffer.alloc(1024, "v");
export const GET_PATH = "/bench/get";
export const SET_PREFIX = "/bench/set";
export const FANOUT_PATH = "/bench/fanout";

/** One system: its server process's pid, an admin session, and its load generators. */
export interface System {
  name: string;
  connectString: string;
  pid: number;
  admin: Session;
  /** group-commit counters so far (writes, syncs, time in syncs) */
  syncCounters(): Promise<SyncCounters>;
  close(): Promise<void>;
}

export async function engineSystem(): Promise<System> {
  const child = spawnChild(new URL("./server.ts", import.meta.url), [], serverFlags());
  const { connectString, pid } = await child.next<{ connectString: string; pid: number }>("ready", 120_000);
  const admin = await createZooKeeperBackend({ connectString }).connect();
  return {
    name: "engine (zk-server)",
    connectString,
    pid,
    admin,
    async syncCounters() {
      const s = await child.call<{ appends: number; batches: number; writeMs: number }>({ type: "stats" });
      return { writes: s.appends, syncs: s.batches, syncMs: s.writeMs, timed: s.batches };
    },
    async close() {
      await admin.close().catch(() => {});
      await child.call({ type: "close" }, 60_000).catch(() => {});
      await child.kill(5000);
    },
  };
}

export async function zookeeperSystem(): Promise<System> {
  const zk = await startStandaloneZk();
  const admin = await createZooKeeperBackend({ connectString: zk.connectString }).connect();
  return {
    name: "ZooKeeper 3.8",
    connectString: zk.connectString,
    pid: zk.pid,
    admin,
    syncCounters: () => zookeeperSyncCounters(zk.connectString),
    async close() {
      await admin.close().catch(() => {});
      await zk.stop();
    },
  };
}

/** the nodes of every row; `writers`: one own node per setData writer */
export async function seed(s: System, writers: number): Promise<void> {
  await s.admin.create("/bench");
  await s.admin.create(GET_PATH, VALUE);
  for (let i = 0; i < writers; i++) await s.admin.create(`${SET_PREFIX}-${i}`, VALUE);
  await s.admin.create(FANOUT_PATH, VALUE);
}
