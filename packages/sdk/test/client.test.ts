/**
 * The SDK against a real socket.io server speaking the protocol: get, watch, ordering under
 * slow fetches, deletes, unparsable content, applied reports, close.
 */
import { describe, expect, it } from "vitest";
import { SdkError } from "../src/index.ts";
import { clientPool, eventually, recorder, strictlyIncreasing } from "../src/testing/index.ts";
import { serverPerTest } from "./helpers.ts";
import { ProtocolServer } from "./protocol-server.ts";

let server: ProtocolServer;
const clients = clientPool();
serverPerTest(clients, (s) => (server = s));

describe("get", () => {
  it("returns the parsed value, identifies itself with hello and sends the token in the auth payload", async () => {
    server.set("/demo/app.json", '{"color":"blue","n":3}');
    server.set("/demo/motd", "hello there");
    const c = clients.make({ url: server.url, app: "unit-app", token: "s3cret" });
    expect(await c.get("/demo/app.json")).toEqual({ color: "blue", n: 3 });
    expect(await c.get("/demo/motd")).toBe("hello there");
    expect(c.getSnapshot("/demo/app.json")?.meta).toMatchObject({
      path: "/demo/app.json",
      version: 0,
      format: "json",
      source: "server",
      exists: true,
      raw: '{"color":"blue","n":3}',
    });
    expect(c.state).toBe("connected");
    expect(server.hellos[0]).toMatchObject({ app: "unit-app", pid: process.pid, instanceId: c.instanceId });
    expect(server.auths[0]).toEqual({ token: "s3cret" });
  });

  it("treats a path in the URL as a reverse-proxy prefix for the gateway", async () => {
    const prefixed = new ProtocolServer("/conifer/socket.io");
    await prefixed.start(0);
    try {
      prefixed.set("/x.json", "42");
      const c = clients.make({ url: `${prefixed.url}/conifer/` });
      expect(await c.get("/x.json")).toBe(42);
    } finally {
      await clients.closeAll();
      await prefixed.stop();
    }
  });

  it("throws NOT_FOUND for a missing path and CLOSED after close", async () => {
    const c = clients.make({ url: server.url });
    const err = await c.get("/nope.json").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SdkError);
    expect((err as SdkError).code).toBe("NOT_FOUND");
    await c.close();
    expect(c.state).toBe("closed");
    await expect(c.get("/nope.json")).rejects.toMatchObject({ code: "CLOSED" });
  });

  it("rejects paths that are not valid znode paths before sending anything", async () => {
    const c = clients.make({ url: server.url });
    expect(() => c.watch("relative/path", () => {})).toThrow(TypeError);
    await expect(c.get("/trailing/")).rejects.toThrow(TypeError);
  });

  it("a path the server refuses fails alone: the other paths and the connection keep working", async () => {
    server.refuse = (p) => p.startsWith("/forbidden");
    server.set("/fine.json", '"ok"');
    const c = clients.make({ url: server.url });
    const [fine, forbidden] = await Promise.allSettled([c.get("/fine.json"), c.get("/forbidden/x.json")]);
    expect(fine).toMatchObject({ status: "fulfilled", value: "ok" });
    expect(forbidden).toMatchObject({ status: "rejected", reason: { code: "NOT_FOUND" } });
    expect(((forbidden as PromiseRejectedResult).reason as Error).message).toMatch(/refused/);
    // and after a reconnect (whose handshake subscribes both) the connection still comes up
    server.dropAll();
    server.set("/fine.json", '"still ok"');
    await eventually(async () => (await c.get("/fine.json")) === "still ok", "served after reconnect");
    expect(c.state).toBe("connected");
  });

  it("reports what it applied, so the server's instance registry can show it", async () => {
    server.set("/a.json", "1");
    const c = clients.make({ url: server.url });
    await c.get("/a.json");
    await eventually(
      () => server.applied.find((a) => a.path === "/a.json" && a.instanceId === c.instanceId && a.version === 0),
      "applied v0",
    );
    server.set("/a.json", "2");
    await eventually(() => server.applied.find((a) => a.path === "/a.json" && a.version === 1), "applied v1");
  });
});

describe("watch", () => {
  it("delivers each newer value with its meta and fetches only what it does not have", async () => {
    server.set("/w.json", '{"v":0}');
    const c = clients.make({ url: server.url });
    const rec = recorder();
    c.watch("/w.json", rec.cb); // registered before the first load: that load is delivered too
    await c.get("/w.json");
    const fetchesBefore = server.fetches.length;
    server.sendNotice("/w.json"); // a duplicate of what the client has: no fetch, no callback
    const v1 = server.set("/w.json", '{"v":1}');
    await eventually(() => rec.calls.find((x) => x.meta.version === 1), "v1 delivered");
    server.sendNotice("/w.json");
    server.set("/w.json", '{"v":2}');
    await eventually(() => rec.calls.find((x) => x.meta.version === 2), "v2 delivered");
    expect(rec.calls.map((x) => x.value)).toEqual([{ v: 0 }, { v: 1 }, { v: 2 }]);
    expect(rec.calls[1]!.meta).toMatchObject({ mzxid: v1.mzxid, source: "server", exists: true, format: "json" });
    expect(server.fetches.length - fetchesBefore).toBe(2);
  });

  it("delivers in mzxid order, never twice, when fetches are slow and updates are fast", async () => {
    const path = "/fast.json";
    server.set(path, '{"i":0}');
    const c = clients.make({ url: server.url });
    await c.get(path);
    const rec = recorder();
    c.watch(path, rec.cb);
    // the first fetch is slow: its (older) answer arrives after many newer writes
    let first = true;
    server.fetchDelay = () => {
      if (first) {
        first = false;
        return 300;
      }
      return Math.floor(Math.random() * 20);
    };
    for (let i = 1; i <= 40; i++) {
      server.set(path, JSON.stringify({ i }));
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await eventually(
      () => rec.calls.at(-1)?.value && (rec.calls.at(-1)!.value as { i: number }).i === 40,
      "last value",
    );
    expect(strictlyIncreasing(rec.mzxids())).toBe(true);
    for (const call of rec.calls)
      expect(call.meta.mzxid).toBe(String(1000n + 1n + BigInt((call.value as { i: number }).i)));
    expect(server.maxConcurrentFetches).toBe(1);
  });

  it("retries when the server announces a version it cannot serve yet, never delivering twice", async () => {
    server.set("/lag.json", "1");
    const c = clients.make({ url: server.url });
    await c.get("/lag.json");
    const rec = recorder();
    c.watch("/lag.json", rec.cb);
    const fetches = server.fetches.length;
    // like a replica behind the member that sent the notice: fetch still returns version 0
    server.announce({ path: "/lag.json", exists: true, version: 1, mzxid: String(server.nextZxid) });
    await eventually(() => server.fetches.length >= fetches + 2, "fetched again after a pause");
    expect(rec.calls).toHaveLength(0);
    server.muted = true;
    server.set("/lag.json", "2");
    await eventually(() => rec.calls.length === 1, "delivered once served");
    expect(rec.calls[0]!.value).toBe(2);
  });

  it("is called when a missing path is created, deleted and created again", async () => {
    const c = clients.make({ url: server.url });
    const rec = recorder();
    c.watch("/later.json", rec.cb);
    await expect(c.get("/later.json")).rejects.toMatchObject({ code: "NOT_FOUND" });
    server.set("/later.json", '{"a":1}');
    await eventually(() => rec.calls.length === 1, "created");
    server.remove("/later.json");
    await eventually(() => rec.calls.length === 2, "deleted");
    expect(rec.calls[1]).toMatchObject({ value: undefined, meta: { exists: false, version: -1 } });
    await expect(c.get("/later.json")).rejects.toMatchObject({ code: "NOT_FOUND" });
    server.set("/later.json", '{"a":2}');
    await eventually(() => rec.calls.length === 3, "re-created");
    expect(rec.calls[2]!.meta).toMatchObject({ exists: true, version: 0 });
    expect(strictlyIncreasing(rec.mzxids().filter((m) => m > 0n))).toBe(true);
  });

  it("keeps the last good value when a version does not parse, reports it, and moves on", async () => {
    server.set("/p.json", '{"ok":1}');
    const c = clients.make({ url: server.url });
    const errors: SdkError[] = [];
    c.on("error", (e) => errors.push(e));
    await c.get("/p.json");
    const rec = recorder();
    c.watch("/p.json", rec.cb);
    server.set("/p.json", '{"ok": }');
    await eventually(() => errors.length === 1, "error event");
    expect(errors[0]).toMatchObject({ code: "INVALID_CONTENT", details: { path: "/p.json", version: 1 } });
    expect(await c.get("/p.json")).toEqual({ ok: 1 });
    expect(c.getSnapshot("/p.json")?.meta.version).toBe(0);
    server.set("/p.json", '{"ok":2}');
    await eventually(() => rec.calls.length === 1, "next good version");
    expect(rec.calls[0]!.value).toEqual({ ok: 2 });
    expect(errors).toHaveLength(1);
  });

  it("survives a watch callback that throws", async () => {
    server.set("/t.json", "1");
    const c = clients.make({ url: server.url });
    const rec = recorder();
    await c.get("/t.json");
    c.watch("/t.json", () => {
      throw new Error("app bug");
    });
    c.watch("/t.json", rec.cb);
    server.set("/t.json", "2");
    await eventually(() => rec.calls.length === 1, "second watcher still called");
    expect(clients.warnings.some((w) => w.includes("app bug"))).toBe(true);
  });

  it("stops calling a callback after its unsubscribe function ran", async () => {
    server.set("/u.json", "1");
    const c = clients.make({ url: server.url });
    const a = recorder();
    const b = recorder();
    await c.get("/u.json");
    const off = c.watch("/u.json", a.cb);
    c.watch("/u.json", b.cb);
    off();
    server.set("/u.json", "2");
    await eventually(() => b.calls.length === 1, "b called");
    expect(a.calls).toHaveLength(0);
  });
});
