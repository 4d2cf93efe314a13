/**
 * Connection loss against a real socket.io server: dropped sockets, a server stopped and
 * restarted on the same port, `resync`, and answering `get` from memory while disconnected.
 * Each test checks that nothing is missed, duplicated or delivered out of order.
 */
import { describe, expect, it } from "vitest";
import type { ClientState } from "../src/index.ts";
import { clientPool, eventually, recorder, strictlyIncreasing } from "../src/testing/index.ts";
import { serverPerTest } from "./helpers.ts";
import type { ProtocolServer } from "./protocol-server.ts";

let server: ProtocolServer;
const clients = clientPool();
serverPerTest(clients, (s) => (server = s));

describe("reconnect", () => {
  it("catches up on changes made while its socket was dropped, without duplicates", async () => {
    server.set("/r.json", '{"n":0}');
    const c = clients.make({ url: server.url });
    const states: ClientState[] = [];
    c.on("state", (s) => states.push(s));
    await c.get("/r.json");
    const rec = recorder();
    c.watch("/r.json", rec.cb);

    server.muted = true; // the notices for these writes never reach the client
    server.dropAll();
    for (let n = 1; n <= 5; n++) server.set("/r.json", JSON.stringify({ n }));
    server.muted = false;

    await eventually(() => rec.calls.some((x) => (x.value as { n: number }).n === 5), "caught up");
    expect(strictlyIncreasing(rec.mzxids())).toBe(true);
    expect(states).toEqual(expect.arrayContaining(["disconnected", "connecting", "connected"]));
    expect(c.state).toBe("connected");
    // after the reconnect the client re-announced what it runs with on the new connection
    await eventually(
      () => server.applied.some((a) => a.path === "/r.json" && a.version === 5),
      "applied after reconnect",
    );
    expect(server.hellos.length).toBeGreaterThanOrEqual(2);
  });

  it("serves get from memory while the server is down, then resubscribes when it is back", async () => {
    server.set("/down.json", '{"v":"before"}');
    server.set("/other.txt", "plain");
    const c = clients.make({ url: server.url });
    await c.get("/down.json");
    const rec = recorder();
    c.watch("/down.json", rec.cb);
    const port = server.port;
    await server.stop();
    await eventually(() => c.state !== "connected", "noticed the loss");
    expect(await c.get("/down.json")).toEqual({ v: "before" });
    // a path never asked for cannot be answered offline
    await expect(c.get("/other.txt")).rejects.toMatchObject({ code: "UNREACHABLE" });

    // changes while it is down (as another server or zkCli would make them)
    server.set("/down.json", '{"v":"during-1"}');
    server.set("/down.json", '{"v":"during-2"}');
    await server.start(port);
    await eventually(
      () => rec.calls.some((x) => (x.value as { v: string }).v === "during-2"),
      "caught up after restart",
    );
    expect(rec.calls).toHaveLength(1); // only what it did not have: the newest version
    expect(await c.get("/other.txt")).toBe("plain");

    // and pushes keep working on the new connection
    server.set("/down.json", '{"v":"after"}');
    await eventually(() => rec.calls.length === 2, "push after restart");
    expect(strictlyIncreasing(rec.mzxids())).toBe(true);
  });

  it("re-compares versions when the server says resync", async () => {
    server.set("/s.json", "1");
    const c = clients.make({ url: server.url });
    await c.get("/s.json");
    const rec = recorder();
    c.watch("/s.json", rec.cb);
    server.muted = true;
    server.set("/s.json", "2");
    server.muted = false;
    server.resyncAll("backend session expired");
    await eventually(() => rec.calls.length === 1, "resync delivered the missed change");
    expect(rec.calls[0]!.value).toBe(2);
  });

  it("throws UNREACHABLE quickly when there is no server and no cache", async () => {
    await server.stop();
    const c = clients.make({ url: server.url });
    await expect(c.get("/x.json")).rejects.toMatchObject({ code: "UNREACHABLE" });
  });

  it("keeps retrying with backoff and connects once the server appears", async () => {
    const port = server.port;
    await server.stop();
    server.set("/late.json", '"hi"');
    const c = clients.make({ url: server.url });
    await eventually(() => c.state === "disconnected", "first attempt failed");
    await server.start(port);
    await eventually(() => c.state === "connected", "connected after the server came up");
    expect(await c.get("/late.json")).toBe("hi");
  });

  it("does not count a connection whose handshake fails as connected, and retries it", async () => {
    server.set("/h.json", "1");
    server.helloError = { code: "BACKEND_UNAVAILABLE", message: "no quorum" };
    const c = clients.make({ url: server.url });
    await eventually(
      () => server.fetches.length === 0 && clients.warnings.filter((w) => w.includes("no quorum")).length >= 2,
      "handshake retried",
    );
    expect(c.state).not.toBe("connected");
    await expect(c.get("/h.json")).rejects.toMatchObject({ code: "UNREACHABLE" });
    server.helloError = undefined;
    await eventually(() => c.state === "connected", "connected once hello succeeds");
    expect(await c.get("/h.json")).toBe(1);
  });

  it("many clients on one path each receive one publish exactly once", async () => {
    server.set("/many.json", "0");
    server.set("/many-marker.json", "0");
    const recs = Array.from({ length: 50 }, () => recorder());
    const markers = recs.map(() => recorder());
    const cs = recs.map(() => clients.make({ url: server.url }));
    await Promise.all(cs.map((c) => Promise.all([c.get("/many.json"), c.get("/many-marker.json")])));
    cs.forEach((c, i) => {
      c.watch("/many.json", recs[i]!.cb);
      c.watch("/many-marker.json", markers[i]!.cb);
    });
    server.set("/many.json", "1");
    await eventually(() => recs.every((r) => r.calls.length === 1), "all delivered");
    // a later change reaches every client after anything (a duplicate) still on its way for the first
    server.set("/many-marker.json", "1");
    await eventually(() => markers.every((m) => m.calls.length === 1), "the marker delivered everywhere");
    expect(recs.every((r) => r.calls.length === 1 && r.calls[0]!.value === 1)).toBe(true);
  });
});
