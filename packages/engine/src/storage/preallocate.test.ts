/**
 * The log writer zero-fills ahead of the open segment's end (fsync on), so a crash leaves a
 * segment that ends in zeros: recovery must read them as the end of that segment, in the
 * newest segment or an older one, and a clean close must cut them back.
 */
import { appendFile, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

import { DurableStore } from "./durable-store.ts";
import { PREALLOCATE_BYTES } from "./log-writer.ts";
import { logFiles, payloadFor, range, tempDir, zxids } from "../testing/storage.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function appendRange(store: DurableStore, from: number, to: number): Promise<void> {
  await Promise.all(range(from, to).map((z) => store.append({ zxid: BigInt(z), payload: payloadFor(BigInt(z)) })));
}

describe("log preallocation", () => {
  it("writes zeros ahead of the open segment and cuts them back on close", async () => {
    const { dir, cleanup } = await tempDir("prealloc");
    cleanups.push(cleanup);
    const { store } = await DurableStore.open({ dir });
    expect(store.stats().fillMs).toBe(0);
    await appendRange(store, 1, 20);
    await appendRange(store, 21, 40);
    // the fill's time is counted apart from the appends' (bench/wire/profile.ts reports both)
    expect(store.stats().fillMs).toBeGreaterThan(0);
    const [segment] = await logFiles(dir);
    const path = join(dir, segment ?? "");
    expect((await stat(path)).size).toBeGreaterThanOrEqual(PREALLOCATE_BYTES);
    await store.close();
    const written = (await stat(path)).size;
    expect(written).toBeLessThan(PREALLOCATE_BYTES);
    const again = await DurableStore.open({ dir });
    expect(zxids(again.recovered.records)).toEqual(range(1, 40));
    expect(again.recovered).toMatchObject({ truncatedBytes: 0, issues: [] });
    await again.store.close();
  });

  it("reads a zero tail left by a crash as the segment's end, in the newest segment and before it", async () => {
    const { dir, cleanup } = await tempDir("prealloc-crash");
    cleanups.push(cleanup);
    const first = await DurableStore.open({ dir });
    await appendRange(first.store, 1, 3);
    await first.store.close();
    const second = await DurableStore.open({ dir });
    await appendRange(second.store, 4, 6); // a second segment
    await second.store.close();
    const segments = await logFiles(dir);
    expect(segments).toHaveLength(2);
    // what a crash before the segments were cut back leaves: zeros after the last record
    const zeros = Buffer.alloc(1 << 20);
    for (const s of segments) await appendFile(join(dir, s), zeros);

    const reopened = await DurableStore.open({ dir });
    expect(zxids(reopened.recovered.records)).toEqual(range(1, 6));
    expect(reopened.recovered.truncatedBytes).toBe(2 * zeros.length);
    expect(reopened.recovered.issues.map((i) => i.kind)).toEqual(["torn-tail", "torn-tail"]);
    await appendRange(reopened.store, 7, 8);
    await reopened.store.close();
    // nothing set aside, and the log reads cleanly from now on
    expect((await readdir(dir)).some((n) => n.startsWith("quarantine"))).toBe(false);
    const last = await DurableStore.open({ dir });
    expect(zxids(last.recovered.records)).toEqual(range(1, 8));
    expect(last.recovered).toMatchObject({ truncatedBytes: 0, issues: [] });
    await last.store.close();
  });
});
