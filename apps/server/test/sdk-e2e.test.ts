/**
 * The SDK against the real server (embedded engine, SQLite history): publishing through tRPC
 * reaches watching SDKs with parsed values, each format parses, deletes and creations are
 * delivered, unparsable content written behind the server's back is reported and skipped,
 * the instance registry shows what each SDK applied, and 200 SDKs all get one publish once.
 */
import { describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { recorder } from "@conifer/sdk/testing";
import { eventually, publish, useSdkServer, type Api } from "./sdk-fixtures.ts";

let server: RunningServer;
let api: Api;
const clients = useSdkServer("conifer-sdk-e2e-", (s, a) => {
  server = s;
  api = a;
});

describe("SDK end to end", () => {
  it("delivers a value published through tRPC, parsed, and reports what it applied", async () => {
    await publish(api, "/e2e/app.json", '{"color":"blue"}');
    const c = clients.make({ url: server.url, app: "e2e-app" });
    expect(await c.get("/e2e/app.json")).toEqual({ color: "blue" });
    const rec = recorder();
    c.watch("/e2e/app.json", rec.cb);
    const stat = await publish(api, "/e2e/app.json", '{"color":"green","size":2}');
    await eventually(() => rec.calls.length === 1, "callback");
    expect(rec.calls[0]).toMatchObject({
      value: { color: "green", size: 2 },
      meta: { version: stat.version, mzxid: stat.mzxid, source: "server", exists: true, format: "json" },
    });

    const row = await eventually(async () => {
      const { instances } = await api.instances.list.query({ path: "/e2e/app.json" });
      const mine = instances.find((i) => i.instanceId === c.instanceId);
      return mine?.applied.find((a) => a.path === "/e2e/app.json" && a.version === stat.version) ? mine : undefined;
    }, "instance registry shows the applied version");
    expect(row).toMatchObject({ app: "e2e-app", pid: process.pid });
  });

  it("parses a path of each format", async () => {
    const files: [string, string, unknown][] = [
      ["/e2e/fmt/a.json", '{"a":[1,2]}', { a: [1, 2] }],
      ["/e2e/fmt/b.yaml", "b:\n  - x\n  - y\n", { b: ["x", "y"] }],
      ["/e2e/fmt/c.yml", "c: true\n", { c: true }],
      ["/e2e/fmt/d.properties", "db.host=localhost\ndb.port=5432\n", { "db.host": "localhost", "db.port": "5432" }],
      ["/e2e/fmt/e.toml", '[server]\nport = 8080\nname = "x"\n', { server: { port: 8080, name: "x" } }],
      ["/e2e/fmt/f.txt", "just text\n", "just text\n"],
    ];
    for (const [path, content] of files) await publish(api, path, content);
    const c = clients.make({ url: server.url });
    for (const [path, , expected] of files) {
      expect(await c.get(path)).toEqual(expected);
    }
    expect(c.getSnapshot("/e2e/fmt/e.toml")?.meta.format).toBe("toml");
  });

  it("throws NOT_FOUND for a missing path and calls the watcher on create and delete", async () => {
    const c = clients.make({ url: server.url });
    await expect(c.get("/e2e/later.json")).rejects.toMatchObject({ code: "NOT_FOUND" });
    const rec = recorder();
    c.watch("/e2e/later.json", rec.cb);
    const created = await publish(api, "/e2e/later.json", '{"here":true}');
    await eventually(() => rec.calls.length === 1, "created");
    expect(rec.calls[0]).toMatchObject({ value: { here: true }, meta: { exists: true, version: created.version } });
    await api.config.delete.mutate({ path: "/e2e/later.json", expectedVersion: created.version, message: "e2e" });
    await eventually(() => rec.calls.length === 2, "deleted");
    expect(rec.calls[1]).toMatchObject({ value: undefined, meta: { exists: false } });
    await expect(c.get("/e2e/later.json")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("keeps the last good value when content written behind the server's back does not parse", async () => {
    await publish(api, "/e2e/raw.json", '{"good":1}');
    const c = clients.make({ url: server.url });
    await c.get("/e2e/raw.json");
    const errors: { code: string; message: string }[] = [];
    c.on("error", (e) => errors.push(e));
    const rec = recorder();
    c.watch("/e2e/raw.json", rec.cb);
    const session = await server.backend.connect();
    try {
      await session.setData("/e2e/raw.json", Buffer.from('{"good": '), -1); // like zkCli would
      await eventually(() => errors.length === 1, "error event");
      expect(errors[0]!.code).toBe("INVALID_CONTENT");
      expect(await c.get("/e2e/raw.json")).toEqual({ good: 1 });
      await session.setData("/e2e/raw.json", Buffer.from('{"good":2}'), -1);
      await eventually(() => rec.calls.length === 1, "next good version");
      expect(rec.calls[0]!.value).toEqual({ good: 2 });
    } finally {
      await session.close();
    }
  });

  it("200 SDK clients on one path each receive one publish exactly once", async () => {
    const path = "/e2e/fanout.json";
    await publish(api, path, '{"gen":0}');
    const marker = "/e2e/fanout-marker.json";
    await publish(api, marker, '{"gen":0}');
    const recs = Array.from({ length: 200 }, () => recorder());
    const markers = recs.map(() => recorder());
    const cs = recs.map(() => clients.make({ url: server.url, app: "fanout" }));
    await Promise.all(cs.map((c) => Promise.all([c.get(path), c.get(marker)])));
    cs.forEach((c, i) => {
      c.watch(path, recs[i]!.cb);
      c.watch(marker, markers[i]!.cb);
    });
    const stat = await publish(api, path, '{"gen":1}');
    await eventually(() => recs.every((r) => r.calls.length >= 1), "every client received the publish");
    // a later publish reaches every client after any (wrong) second delivery of the first
    await publish(api, marker, '{"gen":1}');
    await eventually(() => markers.every((m) => m.calls.length >= 1), "every client received the marker");
    for (const r of recs) {
      expect(r.calls).toHaveLength(1);
      expect(r.calls[0]).toMatchObject({ value: { gen: 1 }, meta: { mzxid: stat.mzxid } });
    }
  });
});
