/**
 * The SDK through server restarts and network cuts, against the real server: cached values
 * keep being served while it is away, every change is caught up after the reconnect exactly
 * once and in order, and an application started while the server is down starts from its
 * cache and catches up when the server is back.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { recorder, strictlyIncreasing } from "@conifer/sdk/testing";
import { start, tempDir } from "./helpers.ts";
import { apiClient, CuttableProxy, eventually, publish, sdkClients } from "./sdk-fixtures.ts";

let dataDir: string;
let cacheRoot: string;
let cleanups: (() => Promise<void>)[] = [];
let server: RunningServer | undefined;
const clients = sdkClients();

beforeEach(async () => {
  const data = await tempDir("conifer-sdk-restart-data-");
  const cache = await tempDir("conifer-sdk-restart-cache-");
  dataDir = data.dir;
  cacheRoot = cache.dir;
  cleanups = [data.cleanup, cache.cleanup];
  server = await start(dataDir);
});
afterEach(async () => {
  await clients.closeAll();
  await server?.close();
  server = undefined;
  for (const c of cleanups) await c();
});

const n = (v: unknown) => (v as { n: number }).n;

describe("SDK across server restarts", () => {
  it("serves cached values while the server is down, reconnects, and gets later changes once and in order", async () => {
    const path = "/restart/app.json";
    let api = apiClient(server!.url);
    await publish(api, path, '{"n":0}');
    const port = server!.port;
    const sdks = [0, 1, 2].map((i) => clients.make({ url: server!.url, cacheDir: `${cacheRoot}/sdk${i}` }));
    const recs = sdks.map(() => recorder());
    for (const [i, c] of sdks.entries()) {
      expect(await c.get(path)).toEqual({ n: 0 });
      c.watch(path, recs[i]!.cb);
    }

    await server!.close();
    await eventually(() => sdks.every((c) => c.state !== "connected"), "SDKs noticed the server is gone");
    for (const c of sdks) expect(await c.get(path)).toEqual({ n: 0 });

    server = await start(dataDir, { port });
    api = apiClient(server.url);
    await eventually(() => sdks.every((c) => c.state === "connected"), "SDKs reconnected");
    const N = 15;
    let last = "";
    for (let i = 1; i <= N; i++) last = (await publish(api, path, JSON.stringify({ n: i }))).mzxid;
    await eventually(() => recs.every((r) => r.calls.at(-1)?.meta.mzxid === last), "every SDK reached the last change");
    for (const r of recs) {
      expect(strictlyIncreasing(r.mzxids())).toBe(true); // in order, no duplicates
      for (const call of r.calls) expect(call.meta.version).toBe(n(call.value)); // each value is the one of its version
      expect(n(r.calls.at(-1)!.value)).toBe(N);
    }
    // each SDK registered with the restarted server and re-announced what it runs with
    await eventually(async () => {
      const { instances } = await api.instances.list.query({ path });
      return sdks.every((c) =>
        instances.find((i) => i.instanceId === c.instanceId)?.applied.some((a) => a.path === path && a.version === N),
      );
    }, "the restarted server's registry shows every SDK on the last version");
  });

  it("catches up on backend changes made while it was cut off from a running server, exactly once", async () => {
    const api = apiClient(server!.url);
    await publish(api, "/cut/a.json", '{"n":0}');
    await publish(api, "/cut/b.json", '{"n":0}');
    const proxy = new CuttableProxy(server!.port);
    await proxy.start();
    try {
      const c = clients.make({ url: proxy.url });
      const a = recorder();
      const b = recorder();
      await c.get("/cut/a.json");
      await c.get("/cut/b.json");
      c.watch("/cut/a.json", a.cb);
      c.watch("/cut/b.json", b.cb);

      proxy.cut();
      await eventually(() => c.state !== "connected", "SDK noticed the cut");
      const session = await server!.backend.connect();
      let lastA: { mzxid: bigint };
      try {
        for (let i = 1; i < 5; i++) await session.setData("/cut/a.json", Buffer.from(JSON.stringify({ n: i })), -1);
        lastA = (await session.setData("/cut/a.json", Buffer.from(JSON.stringify({ n: 5 })), -1)).stat;
        await session.delete("/cut/b.json", -1);
      } finally {
        await session.close();
      }
      expect(await c.get("/cut/a.json")).toEqual({ n: 0 }); // still served while away
      proxy.restore();

      await eventually(() => a.calls.length >= 1 && b.calls.length >= 1, "caught up after the reconnect");
      await eventually(() => c.state === "connected", "connected");
      expect(a.calls).toHaveLength(1); // only the version it did not have, once
      expect(a.calls[0]).toMatchObject({ value: { n: 5 }, meta: { version: 5, mzxid: String(lastA.mzxid) } });
      expect(b.calls).toEqual([
        expect.objectContaining({ value: undefined, meta: expect.objectContaining({ exists: false }) as unknown }),
      ]);
    } finally {
      await proxy.stop();
    }
  });

  it("an SDK started while the server is down starts from its cache, then catches up", async () => {
    const path = "/offline/app.yaml";
    const cacheDir = `${cacheRoot}/app`;
    let api = apiClient(server!.url);
    await publish(api, path, "gen: 1\n");
    const first = clients.make({ url: server!.url, cacheDir });
    expect(await first.get(path)).toEqual({ gen: 1 });
    await first.close();
    await publish(api, path, "gen: 2\n"); // the app was not running when this happened
    const port = server!.port;
    await server!.kill(); // a crash this time, not a graceful stop
    server = undefined;

    const c = clients.make({ url: `http://127.0.0.1:${port}`, cacheDir });
    expect(await c.get(path)).toEqual({ gen: 1 });
    expect(c.getSnapshot(path)?.meta.source).toBe("cache");
    const rec = recorder();
    c.watch(path, rec.cb);

    server = await start(dataDir, { port });
    api = apiClient(server.url);
    await eventually(() => rec.calls.length === 1, "caught up after the server came back");
    expect(rec.calls[0]).toMatchObject({ value: { gen: 2 }, meta: { source: "server", version: 1 } });
    const stat = await publish(api, path, "gen: 3\n");
    await eventually(() => rec.calls.length === 2, "live again");
    expect(rec.calls[1]!.meta.mzxid).toBe(stat.mzxid);
  });
});
