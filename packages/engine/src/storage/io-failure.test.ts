/**
 * A real write failure, no mocks: the writer runs in a child under `ulimit -f`, so the kernel
 * refuses to grow the segment (EFBIG) at some point. The failing append must reject with IO,
 * the store must refuse everything after it, and every append acknowledged before the failure
 * must be recovered on reopen.
 */
import { afterEach, describe, expect, it } from "vitest";

import { fixture, runChild } from "../../test/fixtures/child.ts";
import { DurableStore } from "./durable-store.ts";
import { tempDir, zxids, range } from "../testing/storage.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe("IO failure", () => {
  it("rejects the failing append, poisons the store, and loses no acknowledged write", async () => {
    const { dir, cleanup } = await tempDir("eio");
    cleanups.push(cleanup);
    const config = { appenders: 16, snapshotEvery: 0, payloadBytes: 1000 };
    // 1024 blocks: at least 512 KiB, far beyond what tsx needs, reached after a few hundred appends
    const run = await runChild(fixture("store-writer.ts"), [dir, JSON.stringify(config)], {
      fileSizeLimitBlocks: 1024,
    });
    expect(run.code, run.stderr).toBe(0);
    const acked = run.lines.filter((l) => l.startsWith("ack ")).map((l) => Number(l.slice(4)));
    const error = run.lines.find((l) => l.startsWith("error "));
    expect(acked.length).toBeGreaterThan(10);
    expect(error).toMatch(/^error IO .*EFBIG/);
    expect(run.lines).toContain("then FAILED");
    expect(run.lines.at(-1)).toBe("done");

    const { store, recovered } = await DurableStore.open({ dir });
    const max = Math.max(...acked);
    const got = zxids(recovered.records);
    expect(got.slice(0, max)).toEqual(range(1, max));
    // a record that failed may or may not be on disk; an acknowledged one must be
    for (const z of acked) expect(got).toContain(z);
    await store.close();
  });
});
