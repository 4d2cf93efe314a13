/**
 * A crash can leave any prefix of the last frame on disk, or garbage in it. Recovery must cut
 * exactly that frame, report the bytes, and let appends continue on a clean boundary.
 */
import { readFile, stat, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

import { DurableStore } from "./durable-store.ts";
import { encodeFrame } from "./frame.ts";
import { logFiles, payloadFor, range, tempDir, zxids } from "../testing/storage.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A dir whose single segment holds records 1..5; returns the segment path and where record 5 starts. */
async function fiveRecords(): Promise<{ dir: string; segment: string; lastStart: number; size: number }> {
  const { dir, cleanup } = await tempDir("torn");
  cleanups.push(cleanup);
  const { store } = await DurableStore.open({ dir, fsync: false });
  for (let z = 1n; z <= 5n; z++) await store.append({ zxid: z, payload: payloadFor(z) });
  await store.close();
  const segment = join(dir, (await logFiles(dir))[0]!);
  const { size } = await stat(segment);
  return { dir, segment, size, lastStart: size - encodeFrame({ zxid: 5n, payload: payloadFor(5n) }).length };
}

/** Reopen, expect 1..4 back, append a new 5 and 6, reopen again and expect a clean 1..6. */
async function expectRecoversToFour(dir: string, expectedTruncated: number): Promise<void> {
  const first = await DurableStore.open({ dir, fsync: false });
  expect(zxids(first.recovered.records)).toEqual([1, 2, 3, 4]);
  expect(first.recovered.truncatedBytes).toBe(expectedTruncated);
  if (expectedTruncated > 0) expect(first.recovered.issues.map((i) => i.kind)).toEqual(["torn-tail"]);
  await first.store.append({ zxid: 5n, payload: payloadFor(5n, "again") });
  await first.store.append({ zxid: 6n, payload: payloadFor(6n) });
  await first.store.close();
  const second = await DurableStore.open({ dir, fsync: false });
  expect(zxids(second.recovered.records)).toEqual(range(1, 6));
  expect(Buffer.from(second.recovered.records[4]!.payload).equals(payloadFor(5n, "again"))).toBe(true);
  expect(second.recovered).toMatchObject({ truncatedBytes: 0, issues: [] });
  await second.store.close();
}

describe("torn tail", () => {
  it("recovers from the last frame cut at every byte offset", async () => {
    const probe = await fiveRecords();
    for (let cut = probe.lastStart; cut < probe.size; cut++) {
      const { dir, segment } = await fiveRecords();
      await truncate(segment, cut);
      await expectRecoversToFour(dir, cut - probe.lastStart);
    }
  });

  it("recovers from a flipped byte anywhere in the last frame", async () => {
    const probe = await fiveRecords();
    for (let at = probe.lastStart; at < probe.size; at++) {
      const { dir, segment } = await fiveRecords();
      const bytes = await readFile(segment);
      bytes[at]! ^= 0x5a;
      await writeFile(segment, bytes);
      await expectRecoversToFour(dir, probe.size - probe.lastStart);
    }
  });

  it("recovers from garbage appended after the last whole frame", async () => {
    const { dir, segment, size } = await fiveRecords();
    await writeFile(segment, Buffer.concat([await readFile(segment), Buffer.alloc(100, 0)]));
    const { store, recovered } = await DurableStore.open({ dir });
    expect(zxids(recovered.records)).toEqual(range(1, 5));
    expect(recovered.truncatedBytes).toBe(100);
    expect((await stat(segment)).size).toBe(size);
    await store.close();
  });

  it("removes a newest segment torn anywhere in its header or its only frame", async () => {
    const { dir, cleanup } = await tempDir("torn-seg");
    cleanups.push(cleanup);
    const { store } = await DurableStore.open({ dir, fsync: false });
    for (let z = 1n; z <= 3n; z++) await store.append({ zxid: z, payload: payloadFor(z) });
    await store.close();
    const reopened = await DurableStore.open({ dir, fsync: false });
    await reopened.store.append({ zxid: 4n, payload: payloadFor(4n) }); // lands in a second segment
    await reopened.store.close();
    const [, second] = await logFiles(dir);
    const original = await readFile(join(dir, second!));
    for (let cut = 0; cut < original.length; cut++) {
      await writeFile(join(dir, second!), original.subarray(0, cut));
      const { store: again, recovered } = await DurableStore.open({ dir, fsync: false });
      expect(zxids(recovered.records), `cut ${cut}`).toEqual([1, 2, 3]);
      expect(recovered.truncatedBytes).toBe(cut);
      expect(await logFiles(dir)).toEqual(["log.1"]);
      await again.close();
    }
    // and the name is free again for the retried zxid 4
    const { store: last } = await DurableStore.open({ dir });
    await last.append({ zxid: 4n, payload: payloadFor(4n) });
    await last.close();
    expect(zxids((await DurableStore.open({ dir })).recovered.records)).toEqual([1, 2, 3, 4]);
  });
});
