/**
 * Damage a crash cannot explain: a bad record with valid data after it, damaged snapshots,
 * missing segments. Recovery must stop at the last whole transaction and say so, fall back to
 * an older snapshot, or refuse to open; never skip over a hole.
 */
import { readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

import { DurableStore, StorageError } from "./durable-store.ts";
import { encodeFrame, SEGMENT_HEADER_BYTES } from "./frame.ts";
import { logFiles, payloadFor, range, snapshotFiles, tempDir, zxids } from "../testing/storage.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
async function dataDir(): Promise<string> {
  const { dir, cleanup } = await tempDir("corrupt");
  cleanups.push(cleanup);
  return dir;
}

/** Appends `from..to` in one session of the store (each session is its own segment). */
async function session(dir: string, from: number, to: number, snapshotAt: number[] = []): Promise<void> {
  const { store } = await DurableStore.open({ dir, fsync: false });
  for (let z = from; z <= to; z++) {
    await store.append({ zxid: BigInt(z), payload: payloadFor(BigInt(z)) });
    if (snapshotAt.includes(z)) await store.writeSnapshot(BigInt(z), Buffer.from(`state@${z}`));
  }
  await store.close();
}

/** Byte offset of record `zxid` in a segment that starts at `first`. */
function offsetOf(first: number, zxid: number): number {
  let at = SEGMENT_HEADER_BYTES;
  for (let z = first; z < zxid; z++) at += encodeFrame({ zxid: BigInt(z), payload: payloadFor(BigInt(z)) }).length;
  return at;
}

async function flip(path: string, at: number): Promise<void> {
  const bytes = await readFile(path);
  if (at >= bytes.length) throw new Error(`offset ${at} is outside ${path}`);
  bytes[at]! ^= 0xff;
  await writeFile(path, bytes);
}

describe("mid-log corruption", () => {
  it("stops before a bad record followed by valid ones, quarantines the rest and reports it", async () => {
    const dir = await dataDir();
    await session(dir, 1, 10);
    const segment = join(dir, "log.1");
    const sizeBefore = (await stat(segment)).size;
    const bad = offsetOf(1, 5);
    await flip(segment, bad + 20); // inside record 5's payload
    const { store, recovered } = await DurableStore.open({ dir });
    expect(zxids(recovered.records)).toEqual([1, 2, 3, 4]);
    expect(recovered.truncatedBytes).toBe(sizeBefore - bad);
    expect(recovered.issues).toHaveLength(1);
    const issue = recovered.issues[0]!;
    expect(issue).toMatchObject({ kind: "corrupt-log", file: "log.1", offset: bad });
    expect(issue.detail).toMatch(/replay stopped at zxid 4/);
    // the cut-off bytes are kept, byte for byte
    const kept = await readFile(join(dir, issue.quarantined![0]!));
    expect(kept.length).toBe(sizeBefore - bad);
    // the store keeps working from the last whole transaction
    await store.append({ zxid: 5n, payload: payloadFor(5n) });
    await store.close();
    const again = await DurableStore.open({ dir });
    expect(zxids(again.recovered.records)).toEqual([1, 2, 3, 4, 5]);
    expect(again.recovered.issues).toEqual([]);
    await again.store.close();
  });

  it("treats a bad last record of a segment that has a successor as corruption, not a torn tail", async () => {
    const dir = await dataDir();
    await session(dir, 1, 5);
    await session(dir, 6, 9);
    expect(await logFiles(dir)).toEqual(["log.1", "log.6"]);
    await flip(join(dir, "log.1"), offsetOf(1, 5) + 3);
    const { store, recovered } = await DurableStore.open({ dir });
    expect(zxids(recovered.records)).toEqual([1, 2, 3, 4]);
    expect(recovered.issues.map((i) => i.kind)).toEqual(["corrupt-log"]);
    expect(recovered.issues[0]!.quarantined).toHaveLength(2);
    expect(await logFiles(dir)).toEqual(["log.1"]);
    await store.close();
  });

  it("refuses to open when a segment in the middle is missing", async () => {
    const dir = await dataDir();
    await session(dir, 1, 3);
    await session(dir, 4, 6);
    await session(dir, 7, 9);
    await rm(join(dir, "log.4"));
    const error = await DurableStore.open({ dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: "UNRECOVERABLE" });
  });

  it("refuses to open when the log starts after every usable snapshot", async () => {
    const dir = await dataDir();
    await session(dir, 1, 10, [5, 10]);
    // over-eager purging: only snapshot 10 and the log after it remain, and 10 is damaged
    expect(await logFiles(dir)).toEqual(["log.6"]); // retention already dropped log.1
    await rm(join(dir, "snapshot.5"));
    await rm(join(dir, "log.6"));
    await session(dir, 11, 12);
    await flip(join(dir, "snapshot.a"), 35);
    await expect(DurableStore.open({ dir })).rejects.toMatchObject({ code: "UNRECOVERABLE" });
  });
});

describe("damaged snapshots", () => {
  it("falls back to the previous snapshot when the newest is corrupt, and replays the log from there", async () => {
    const dir = await dataDir();
    await session(dir, 1, 15, [5, 10]);
    await flip(join(dir, "snapshot.a"), 36); // payload byte
    const { store, recovered } = await DurableStore.open({ dir });
    expect(recovered.snapshot?.zxid).toBe(5n);
    expect(Buffer.from(recovered.snapshot!.payload).toString()).toBe("state@5");
    expect(zxids(recovered.records)).toEqual(range(6, 15));
    expect(recovered.issues.map((i) => [i.kind, i.file])).toEqual([["corrupt-snapshot", "snapshot.a"]]);
    // moved aside, so it no longer counts toward retention
    expect(await snapshotFiles(dir)).toEqual(["snapshot.5"]);
    expect(await readdir(join(dir, "quarantine"))).toHaveLength(1);
    await store.close();
  });

  it("falls back past a truncated snapshot and an empty one", async () => {
    const dir = await dataDir();
    await session(dir, 1, 12, [4, 8, 12]);
    const newest = await readFile(join(dir, "snapshot.c"));
    await writeFile(join(dir, "snapshot.c"), newest.subarray(0, newest.length - 1));
    await writeFile(join(dir, "snapshot.8"), "");
    const { store, recovered } = await DurableStore.open({ dir });
    expect(recovered.snapshot?.zxid).toBe(4n);
    expect(zxids(recovered.records)).toEqual(range(5, 12));
    expect(recovered.issues.map((i) => i.kind)).toEqual(["corrupt-snapshot", "corrupt-snapshot"]);
    await store.close();
  });

  it("rejects a snapshot whose header zxid does not match its name", async () => {
    const dir = await dataDir();
    await session(dir, 1, 6, [3, 6]);
    // a valid snapshot file under the wrong name must not be trusted
    await writeFile(join(dir, "snapshot.6"), await readFile(join(dir, "snapshot.3")));
    const { store, recovered } = await DurableStore.open({ dir });
    expect(recovered.snapshot?.zxid).toBe(3n);
    expect(zxids(recovered.records)).toEqual([4, 5, 6]);
    await store.close();
  });
});
