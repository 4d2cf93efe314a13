/** DurableStore on real files: recovery after log and snapshots, retention, group commit, contract checks. */
import { readdir } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";

import { DurableStore, StorageError } from "./durable-store.ts";
import { logFiles, payloadFor, range, snapshotFiles, tempDir, zxids } from "../testing/storage.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
async function dataDir(): Promise<string> {
  const { dir, cleanup } = await tempDir("store");
  cleanups.push(cleanup);
  return dir;
}

async function appendRange(store: DurableStore, from: number, to: number): Promise<void> {
  await Promise.all(range(from, to).map((z) => store.append({ zxid: BigInt(z), payload: payloadFor(BigInt(z)) })));
}

describe("DurableStore", () => {
  it("opens an empty dir (creating it) with nothing to recover", async () => {
    const dir = (await dataDir()) + "/nested/data";
    const { store, recovered } = await DurableStore.open({ dir });
    expect(recovered).toEqual({ snapshot: null, records: [], truncatedBytes: 0, issues: [] });
    await store.close();
  });

  it("recovers every appended record, in order, with its payload", async () => {
    const dir = await dataDir();
    const first = await DurableStore.open({ dir });
    await appendRange(first.store, 1, 50);
    await first.store.close();
    const second = await DurableStore.open({ dir });
    expect(zxids(second.recovered.records)).toEqual(range(1, 50));
    for (const r of second.recovered.records) expect(Buffer.from(r.payload).equals(payloadFor(r.zxid))).toBe(true);
    // appends continue after a reopen, in a new segment
    await appendRange(second.store, 51, 60);
    await second.store.close();
    const third = await DurableStore.open({ dir });
    expect(zxids(third.recovered.records)).toEqual(range(1, 60));
    expect(third.recovered.issues).toEqual([]);
    await third.store.close();
  });

  it("recovers snapshot + the log after it", async () => {
    const dir = await dataDir();
    const { store } = await DurableStore.open({ dir });
    await appendRange(store, 1, 10);
    await store.writeSnapshot(10n, Buffer.from("state@10"));
    await appendRange(store, 11, 15);
    await store.close();
    const { store: again, recovered } = await DurableStore.open({ dir });
    expect(recovered.snapshot?.zxid).toBe(10n);
    expect(Buffer.from(recovered.snapshot!.payload).toString()).toBe("state@10");
    expect(zxids(recovered.records)).toEqual(range(11, 15));
    expect(recovered.truncatedBytes).toBe(0);
    await again.close();
  });

  it("keeps only records above a snapshot taken mid-segment (fuzzy snapshot)", async () => {
    const dir = await dataDir();
    const { store } = await DurableStore.open({ dir });
    await appendRange(store, 1, 10);
    // the engine may snapshot at 7 while 8..10 are already logged
    await store.writeSnapshot(7n, Buffer.from("state@7"));
    await appendRange(store, 11, 12);
    await store.close();
    const { store: again, recovered } = await DurableStore.open({ dir });
    expect(recovered.snapshot?.zxid).toBe(7n);
    expect(zxids(recovered.records)).toEqual(range(8, 12));
    await again.close();
  });

  it("purge keeps the newest snapRetainCount snapshots and the log needed from the oldest", async () => {
    const dir = await dataDir();
    const { store } = await DurableStore.open({ dir, snapRetainCount: 2 });
    for (let round = 0; round < 5; round++) {
      await appendRange(store, round * 10 + 1, round * 10 + 10);
      await store.writeSnapshot(BigInt(round * 10 + 10), Buffer.from(`state@${round * 10 + 10}`));
    }
    await appendRange(store, 51, 55);
    expect(await snapshotFiles(dir)).toEqual(["snapshot.28", "snapshot.32"]); // 40 and 50
    // segments start at 1, 11, 21, 31, 41, 51; replay from snapshot 40 needs 41.. only
    expect(await logFiles(dir)).toEqual(["log.29", "log.33"]);
    await store.close();
    const { store: again, recovered } = await DurableStore.open({ dir, snapRetainCount: 2 });
    expect(recovered.snapshot?.zxid).toBe(50n);
    expect(zxids(recovered.records)).toEqual(range(51, 55));
    await again.close();
  });

  it("snapRetainCount 1 keeps one snapshot and only the segments after it", async () => {
    const dir = await dataDir();
    const { store } = await DurableStore.open({ dir, snapRetainCount: 1 });
    await appendRange(store, 1, 5);
    await store.writeSnapshot(5n, Buffer.from("s5"));
    await appendRange(store, 6, 9);
    await store.writeSnapshot(9n, Buffer.from("s9"));
    expect(await snapshotFiles(dir)).toEqual(["snapshot.9"]);
    expect(await logFiles(dir)).toEqual(["log.6"]); // still the newest; no successor yet
    await appendRange(store, 10, 11);
    await store.close();
    expect(await logFiles(dir)).toEqual(["log.6", "log.a"]);
    await expect(DurableStore.open({ dir, snapRetainCount: 0 })).rejects.toThrow(StorageError);
  });

  it("group commit: 64 concurrent appends share far fewer syncs than 64", async () => {
    const dir = await dataDir();
    const { store } = await DurableStore.open({ dir });
    await appendRange(store, 1, 64);
    const stats = store.stats();
    expect(stats.appends).toBe(64);
    expect(stats.batches).toBeLessThan(8);
    // and appends resolve in zxid order
    const order: number[] = [];
    await Promise.all(
      range(65, 128).map((z) =>
        store.append({ zxid: BigInt(z), payload: payloadFor(BigInt(z)) }).then(() => order.push(z)),
      ),
    );
    expect(order).toEqual(range(65, 128));
    await store.close();
  });

  it("group commit: appends from separate callbacks of one event-loop phase share one write", async () => {
    // like requests read from several sockets in one poll: each callback is its own macrotask,
    // so a batch cut a microtask after the first one would hold that first append alone
    const dir = await dataDir();
    const { store } = await DurableStore.open({ dir });
    const appended = await new Promise<Promise<void>[]>((resolve) => {
      const pending: Promise<void>[] = [];
      for (const z of range(1, 8))
        setTimeout(() => {
          pending.push(store.append({ zxid: BigInt(z), payload: payloadFor(BigInt(z)) }));
          if (pending.length === 8) resolve(pending);
        }, 0);
    });
    await Promise.all(appended);
    expect(store.stats()).toMatchObject({ appends: 8, batches: 1 });
    await store.close();
  });

  it("counts the time spent in synced batch writes (the benchmarks compare it with ZooKeeper's fsynctime)", async () => {
    const dir = await dataDir();
    const { store } = await DurableStore.open({ dir });
    expect(store.stats().writeMs).toBe(0);
    await appendRange(store, 1, 8);
    const { writeMs, batches } = store.stats();
    expect(batches).toBeGreaterThan(0);
    expect(writeMs).toBeGreaterThan(0);
    await store.close();
  });

  it("rejects out-of-order zxids, and writes after close", async () => {
    const dir = await dataDir();
    const { store } = await DurableStore.open({ dir });
    await store.append({ zxid: 5n, payload: payloadFor(5n) });
    await expect(store.append({ zxid: 5n, payload: payloadFor(5n) })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await expect(store.append({ zxid: 4n, payload: payloadFor(4n) })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await store.append({ zxid: 6n, payload: payloadFor(6n) });
    const pending = store.append({ zxid: 7n, payload: payloadFor(7n) });
    const closed = store.close();
    await expect(store.append({ zxid: 8n, payload: payloadFor(8n) })).rejects.toMatchObject({ code: "CLOSED" });
    await pending; // queued before close: still made durable
    await closed;
    const { store: again, recovered } = await DurableStore.open({ dir });
    expect(zxids(recovered.records)).toEqual([5, 6, 7]);
    // a reopened store also refuses zxids at or below what it recovered
    await expect(again.append({ zxid: 7n, payload: payloadFor(7n) })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await again.close();
  });

  it("refuses appends at or below a snapshot already requested", async () => {
    const dir = await dataDir();
    const { store } = await DurableStore.open({ dir });
    await appendRange(store, 1, 3);
    const snapshot = store.writeSnapshot(10n, Buffer.from("s10"));
    await expect(store.append({ zxid: 10n, payload: payloadFor(10n) })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await snapshot;
    await store.append({ zxid: 11n, payload: payloadFor(11n) });
    await store.close();
    const { store: again, recovered } = await DurableStore.open({ dir });
    expect(recovered.snapshot?.zxid).toBe(10n);
    expect(zxids(recovered.records)).toEqual([11]);
    expect(recovered.issues).toEqual([]);
    await again.close();
  });

  it("leaves no temp files behind and removes stale ones on open", async () => {
    const dir = await dataDir();
    const { store } = await DurableStore.open({ dir });
    await appendRange(store, 1, 3);
    await store.writeSnapshot(3n, Buffer.from("s3"));
    await store.close();
    expect((await readdir(dir)).filter((n) => n.endsWith(".tmp"))).toEqual([]);
    const { writeFile } = await import("node:fs/promises");
    await writeFile(`${dir}/snapshot.9.tmp`, "half a snapshot");
    const { store: again, recovered } = await DurableStore.open({ dir });
    expect(recovered.snapshot?.zxid).toBe(3n);
    expect((await readdir(dir)).filter((n) => n.endsWith(".tmp"))).toEqual([]);
    await again.close();
  });
});
