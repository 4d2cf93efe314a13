/**
 * Snapshot files written from a stream of chunks: byte-for-byte the file a whole payload
 * gives, verified on read; a stream that fails midway leaves neither a snapshot nor a temp file.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

import { readSnapshotFile, writeSnapshotFile } from "./snapshot-file.ts";
import { tempDir } from "../testing/storage.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function dirs(): Promise<[string, string]> {
  const a = await tempDir("snapfile");
  const b = await tempDir("snapfile");
  cleanups.push(a.cleanup, b.cleanup);
  return [a.dir, b.dir];
}

async function* chunked(payload: Buffer, size: number, failAt?: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < payload.length; at += size) {
    if (failAt !== undefined && at >= failAt) throw new Error("producer failed");
    await new Promise((r) => setImmediate(r));
    yield payload.subarray(at, at + size);
  }
}

describe("writeSnapshotFile with a chunk stream", () => {
  it("writes the same verified file as a whole payload", async () => {
    const [a, b] = await dirs();
    const payload = Buffer.from(Array.from({ length: 5000 }, (_, i) => `node-${i};`).join(""));
    const name = await writeSnapshotFile(a, 0x2an, payload, true);
    expect(await writeSnapshotFile(b, 0x2an, chunked(payload, 777), true)).toBe(name);
    expect(await readFile(join(b, name))).toEqual(await readFile(join(a, name)));
    const read = await readSnapshotFile(b, name, 0x2an);
    expect(read.ok && Buffer.from(read.payload).equals(payload)).toBe(true);
  });

  it("leaves nothing behind when the stream fails midway", async () => {
    const [a] = await dirs();
    const payload = Buffer.alloc(10_000, 1);
    await expect(writeSnapshotFile(a, 5n, chunked(payload, 1000, 4000), true)).rejects.toThrow("producer failed");
    expect(await readdir(a)).toEqual([]);
  });
});
