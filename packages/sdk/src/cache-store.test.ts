import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CacheStore, cacheFileName } from "./cache-store.ts";

let dir: string;
let warnings: string[];
let store: CacheStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "conifer-sdk-cache-"));
  warnings = [];
  store = new CacheStore(join(dir, "nested", "cache"), { warn: (m) => warnings.push(m) });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const entry = (path: string, mzxid: string, raw = '{"a":1}') => ({
  path,
  version: 1,
  mzxid,
  format: "json" as const,
  raw,
});

describe("CacheStore", () => {
  it("writes one file per path (creating the directory) and reads it back", async () => {
    await store.save(entry("/demo/app.json", "42"));
    const got = await store.load("/demo/app.json");
    expect(got).toMatchObject({ path: "/demo/app.json", version: 1, mzxid: "42", format: "json", raw: '{"a":1}' });
    expect(await store.load("/demo/other.json")).toBeUndefined();
    const files = await readdir(join(dir, "nested", "cache"));
    expect(files).toEqual([cacheFileName("/demo/app.json")]); // no temp file left behind
    expect(warnings).toEqual([]);
  });

  it("keeps the newest of several queued writes (writes land in order)", async () => {
    const writes = [];
    for (let i = 1; i <= 20; i++) writes.push(store.save(entry("/p", String(i), `{"i":${i}}`)));
    await Promise.all(writes);
    expect((await store.load("/p"))?.mzxid).toBe("20");
  });

  it("removes a path's file", async () => {
    await store.save(entry("/gone", "5"));
    await store.remove("/gone");
    await store.remove("/never-there");
    expect(await store.load("/gone")).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it("gives long paths a bounded file name that still round-trips", async () => {
    const long = "/" + "x".repeat(1000) + "/config.json";
    expect(cacheFileName(long).length).toBeLessThan(255);
    await store.save(entry(long, "7"));
    expect((await store.load(long))?.mzxid).toBe("7");
  });

  it("ignores corrupt, foreign or unknown-version files with a warning", async () => {
    await store.save(entry("/a", "1"));
    const cdir = join(dir, "nested", "cache");
    await writeFile(join(cdir, cacheFileName("/a")), "{ half a file");
    await writeFile(join(cdir, cacheFileName("/b")), JSON.stringify({ conifer: 1, ...entry("/other", "3") }));
    await writeFile(join(cdir, cacheFileName("/c")), JSON.stringify({ conifer: 99, ...entry("/c", "3") }));
    await writeFile(join(cdir, cacheFileName("/d")), JSON.stringify({ conifer: 1, ...entry("/d", "not-a-zxid") }));
    for (const p of ["/a", "/b", "/c", "/d"]) expect(await store.load(p)).toBeUndefined();
    expect(warnings).toHaveLength(4);
    expect(warnings[0]).toMatch(/not JSON/);
  });

  it("warns instead of throwing when the directory cannot be written", async () => {
    await writeFile(join(dir, "blocker"), "a file where a directory should be");
    const bad = new CacheStore(join(dir, "blocker", "cache"), { warn: (m) => warnings.push(m) });
    await bad.save(entry("/x", "1"));
    expect(warnings.some((w) => w.includes("cache write for /x failed"))).toBe(true);
  });
});
