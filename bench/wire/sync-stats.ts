/**
 * Group-commit counters of either server, read before and after a cell: writes logged, syncs
 * (one fsync / synced write per batch) and the time spent in them. The engine reports its
 * storage stats over IPC; ZooKeeper through `mntr` (its SyncRequestProcessor records every
 * flushed batch's size in `sync_processor_batch_size` and every fsync in `fsynctime`).
 */
import net from "node:net";

export interface SyncCounters {
  writes: number;
  syncs: number;
  /** total ms spent syncing (ZooKeeper: fsync calls; engine: synced batch writes) */
  syncMs: number;
  /** how many syncs syncMs covers */
  timed: number;
}

/** writes per sync and mean sync ms between two readings */
export function syncDelta(a: SyncCounters, b: SyncCounters): { perSync: number; syncMs: number } {
  const syncs = b.syncs - a.syncs;
  return {
    perSync: syncs > 0 ? (b.writes - a.writes) / syncs : NaN,
    syncMs: b.timed > a.timed ? (b.syncMs - a.syncMs) / (b.timed - a.timed) : NaN,
  };
}

function fourLetter(connectString: string, cmd: string): Promise<string> {
  const [host = "127.0.0.1", port = "2181"] = connectString.split(":");
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error(`${cmd} timed out`)));
    socket.on("connect", () => socket.write(cmd));
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", () => {
      resolve(Buffer.concat(chunks).toString("utf8"));
    });
  });
}

/** ZooKeeper's counters from `mntr` (3.6+ metrics) */
export async function zookeeperSyncCounters(connectString: string): Promise<SyncCounters> {
  const text = await fourLetter(connectString, "mntr");
  const value = (key: string) => Number(new RegExp(`^zk_${key}\\s+(\\S+)$`, "m").exec(text)?.[1] ?? NaN);
  return {
    writes: value("sum_sync_processor_batch_size"),
    syncs: value("cnt_sync_processor_batch_size"),
    syncMs: value("sum_fsynctime"),
    timed: value("cnt_fsynctime"),
  };
}
