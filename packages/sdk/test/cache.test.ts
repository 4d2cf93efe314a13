/**
 * The local cache directory with a real server: every applied value lands on disk, an app
 * started while the server is unreachable starts from it and catches up later, deletes remove
 * the file, and corrupt files are skipped with a warning.
 */
import { readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cacheFileName } from "../src/cache-store.ts";
import { clientPool, eventually, recorder } from "../src/testing/index.ts";
import { tempDir } from "./helpers.ts";
import { ProtocolServer } from "./protocol-server.ts";

let server: ProtocolServer;
let dir: string;
let cleanup: () => Promise<void>;
const clients = clientPool();

beforeEach(async () => {
  server = new ProtocolServer();
  await server.start(0);
  ({ dir, cleanup } = await tempDir("sdk-cache"));
});
afterEach(async () => {
  await clients.closeAll();
  await server.stop();
  await cleanup();
});

const readCache = async (path: string) =>
  JSON.parse(await readFile(join(dir, cacheFileName(path)), "utf8")) as Record<string, unknown>;

describe("cache dir", () => {
  it("writes every applied value, and removes it when the path is deleted", async () => {
    server.set("/c/app.json", '{"a":1}');
    const c = clients.make({ url: server.url, cacheDir: dir });
    await c.get("/c/app.json");
    await eventually(async () => (await readCache("/c/app.json").catch(() => null))?.raw === '{"a":1}', "first write");
    const v = server.set("/c/app.json", '{"a":2}');
    await eventually(async () => (await readCache("/c/app.json")).raw === '{"a":2}', "second write");
    expect(await readCache("/c/app.json")).toMatchObject({
      path: "/c/app.json",
      version: 1,
      mzxid: v.mzxid,
      format: "json",
    });
    server.remove("/c/app.json");
    await eventually(async () => (await readdir(dir)).length === 0, "file removed");
  });

  it("starts from the cache while the server is unreachable, then catches up", async () => {
    server.set("/c/live.json", '{"gen":1}');
    const first = clients.make({ url: server.url, cacheDir: dir });
    await first.get("/c/live.json");
    await first.close(); // flushes the cache
    const port = server.port;
    await server.stop();
    server.set("/c/live.json", '{"gen":2}'); // changed while our app was not running

    const c = clients.make({ url: server.url, cacheDir: dir });
    const rec = recorder();
    expect(await c.get("/c/live.json")).toEqual({ gen: 1 });
    expect(c.getSnapshot("/c/live.json")?.meta).toMatchObject({ source: "cache", version: 0 });
    c.watch("/c/live.json", rec.cb);

    await server.start(port);
    await eventually(() => rec.calls.length === 1, "caught up");
    expect(rec.calls[0]).toMatchObject({ value: { gen: 2 }, meta: { source: "server", version: 1 } });
    await eventually(async () => (await readCache("/c/live.json")).version === 1, "cache updated");
  });

  it("does not refetch a cached version the server confirms, and marks it confirmed", async () => {
    server.set("/c/same.json", '{"x":1}');
    const first = clients.make({ url: server.url, cacheDir: dir });
    await first.get("/c/same.json");
    await first.close();
    const fetches = server.fetches.length;
    const c = clients.make({ url: server.url, cacheDir: dir });
    expect(await c.get("/c/same.json")).toEqual({ x: 1 });
    expect(c.getSnapshot("/c/same.json")?.meta.source).toBe("server");
    expect(server.fetches.length).toBe(fetches);
  });

  it("ignores a corrupt cache file with a warning and never crashes", async () => {
    await writeFile(join(dir, cacheFileName("/c/bad.json")), "{{{ not json");
    const port = server.port;
    await server.stop();
    const c = clients.make({ url: server.url, cacheDir: dir });
    await expect(c.get("/c/bad.json")).rejects.toMatchObject({ code: "UNREACHABLE" });
    expect(clients.warnings.some((w) => w.includes("ignored"))).toBe(true);
    server.set("/c/bad.json", '{"fixed":true}');
    await server.start(port);
    await eventually(
      async () => JSON.stringify(await c.get("/c/bad.json").catch(() => null)) === '{"fixed":true}',
      "served after the server came back",
    );
    await eventually(
      async () => (await readCache("/c/bad.json").catch(() => null))?.raw === '{"fixed":true}',
      "cache file rewritten",
    );
  });
});
