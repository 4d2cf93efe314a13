/**
 * The socket.io gateway with real socket.io clients: hello registers an ephemeral instance
 * znode, subscribe returns versions, changes are pushed as `changed` (in order, with real
 * Stats), fetch is served from the shared cache, applied feeds instances.list, watchTree
 * streams tree events, bad messages get error acks, and a backend session expiry ends in
 * `resync` with the server's ephemerals and watch restored.
 */
import { Engine } from "@conifer/engine";
import { expireSession } from "@conifer/engine/testing";
import type { Ack, ChangeNotice, ConfigSnapshot, TreeEvent, VersionInfo } from "@conifer/protocol";
import { describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { client, start, tempDir, waitFor, type Client } from "./helpers.ts";
import { useServer } from "./server-fixture.ts";
import { ADMIN_USER, apiToken, ensureUser, sessionHeaders } from "./auth.ts";
import { connected, socketsOfSuite, type ClientSocket } from "./sockets.ts";

let server: RunningServer;
let api: Client;
const sockets = socketsOfSuite();
let token: string;

useServer({
  ready: async (s) => {
    server = s;
    api = client(server);
    token = (await apiToken(server.url, ["/"], "read")).token;
  },
  closing: () => {
    sockets.closeAll();
  },
});

/** A socket with the read token, or signed in as `user` like the console. */
async function open(user?: string): Promise<ClientSocket> {
  const session = user ? await sessionHeaders(server.url, user) : undefined;
  const s = sockets.open(server.url, {
    // socket.io's default: these sockets reconnect after a server-side drop
    reconnection: true,
    ...(session ? { extraHeaders: { cookie: session.cookie, origin: server.url } } : { auth: { token } }),
  });
  return connected(s);
}

function ask<T>(fn: (ack: (res: Ack<T>) => void) => void): Promise<T> {
  return new Promise((resolve, reject) =>
    fn((res) =>
      res.ok ? resolve(res.value) : reject(Object.assign(new Error(res.error.message), { code: res.error.code })),
    ),
  );
}

const hello = (s: ClientSocket, instanceId: string, app = "billing") =>
  ask<{ serverId: string }>((ack) => s.emit("hello", { app, host: "test-host", pid: 4242, instanceId }, ack));
const subscribe = (s: ClientSocket, paths: string[]) =>
  ask<VersionInfo[]>((ack) => s.emit("subscribe", { paths }, ack));
const fetchSnap = (s: ClientSocket, path: string) => ask<ConfigSnapshot>((ack) => s.emit("fetch", { path }, ack));

describe("socket.io gateway", () => {
  it("hello → subscribe → changed (in order) → fetch → applied → instances.list", async () => {
    const created = await api.config.create.mutate({ path: "/svc/flags.json", content: '{"a":0}' });
    const s = await open();
    const { serverId } = await hello(s, "inst-0001");
    expect(serverId).toBe(server.conifer.serverId);
    const [v] = await subscribe(s, ["/svc/flags.json"]);
    expect(v).toEqual({ path: "/svc/flags.json", exists: true, version: 0, mzxid: created.stat.mzxid });

    const notices: ChangeNotice[] = [];
    s.on("changed", (n) => notices.push(n));
    let version = 0;
    for (let i = 1; i <= 3; i++) {
      await api.config.update.mutate({ path: "/svc/flags.json", content: `{"a":${i}}`, expectedVersion: version });
      version++;
    }
    await waitFor(() => notices.some((n) => n.version === 3), "notice for version 3");
    const mzxids = notices.map((n) => BigInt(n.mzxid));
    expect([...mzxids].sort((a, b) => (a < b ? -1 : 1))).toEqual(mzxids); // in mzxid order
    expect(new Set(mzxids).size).toBe(mzxids.length); // no duplicates
    const last = notices.at(-1)!;
    expect(last).toMatchObject({ path: "/svc/flags.json", exists: true, version: 3 });
    expect(last.zxid).toBe(last.mzxid);

    const snap = await fetchSnap(s, "/svc/flags.json");
    expect(snap).toEqual({
      path: "/svc/flags.json",
      exists: true,
      version: 3,
      mzxid: last.mzxid,
      data: '{"a":3}',
      format: "json",
    });

    s.emit("applied", { path: "/svc/flags.json", version: 2, mzxid: notices.find((n) => n.version === 2)!.mzxid });
    const inst = await waitFor(async () => {
      const { instances } = await api.instances.list.query({ path: "/svc/flags.json" });
      const me = instances.find((i) => i.instanceId === "inst-0001");
      return me?.applied.length ? me : undefined;
    }, "applied version in instances.list");
    expect(inst).toMatchObject({ app: "billing", host: "test-host", pid: 4242 });
    expect(inst.applied).toEqual([
      { path: "/svc/flags.json", version: 2, mzxid: expect.any(String) as unknown, latestVersion: 3, behind: 1 },
    ]);

    // the registration is an ephemeral znode of the server's session
    const node = await api.config.get.query({ path: "/conifer/instances/inst-0001" });
    expect(node.kind).toBe("ephemeral");

    s.disconnect();
    await waitFor(
      async () => !(await api.instances.list.query({})).instances.some((i) => i.instanceId === "inst-0001"),
      "instance removed on disconnect",
    );
  });

  it("a delete is pushed as exists:false; a missing path subscribes as version -1", async () => {
    const s = await open();
    const [missing] = await subscribe(s, ["/svc/nope.txt"]);
    expect(missing).toEqual({ path: "/svc/nope.txt", exists: false, version: -1, mzxid: "0" });
    const notices: ChangeNotice[] = [];
    s.on("changed", (n) => notices.push(n));
    const c = await api.config.create.mutate({ path: "/svc/nope.txt", content: "here" });
    await waitFor(() => notices.some((n) => n.exists), "create notice");
    expect(notices[0]).toMatchObject({ exists: true, version: 0, mzxid: c.stat.mzxid });
    await api.config.delete.mutate({ path: "/svc/nope.txt", expectedVersion: 0 });
    await waitFor(() => notices.some((n) => !n.exists), "delete notice");
    const del = notices.find((n) => !n.exists)!;
    expect(del).toMatchObject({ version: -1, mzxid: "0" });
    expect(BigInt(del.zxid) > BigInt(c.stat.mzxid)).toBe(true);
    expect((await fetchSnap(s, "/svc/nope.txt")).exists).toBe(false);
  });

  it("many clients fetching the same version cost at most one backend read", async () => {
    await api.config.create.mutate({ path: "/svc/shared.yaml", content: "k: 1\n" });
    const clients = await Promise.all(Array.from({ length: 8 }, () => open()));
    await Promise.all(clients.map((c) => subscribe(c, ["/svc/shared.yaml"])));
    const before = server.conifer.fetchReads;
    await api.config.update.mutate({ path: "/svc/shared.yaml", content: "k: 2\n", expectedVersion: 0 });
    await server.conifer.drain();
    const snaps = await Promise.all(clients.map((c) => fetchSnap(c, "/svc/shared.yaml")));
    expect(new Set(snaps.map((x) => x.data))).toEqual(new Set(["k: 2\n"]));
    expect(server.conifer.fetchReads - before).toBeLessThanOrEqual(1);
  });

  it("watchTree streams events at and below the path, including the parent's child change", async () => {
    const s = await open();
    const events: TreeEvent[] = [];
    s.on("treeEvent", (e) => events.push(e));
    await ask<null>((ack) => s.emit("watchTree", { path: "/tw" }, ack));
    await api.config.create.mutate({ path: "/tw/x/y.txt", content: "1" });
    await api.config.create.mutate({ path: "/elsewhere.txt", content: "1" });
    await waitFor(() => events.some((e) => e.path === "/tw/x/y.txt" && e.type === "NodeCreated"), "tree event");
    expect(events).toContainEqual({ type: "NodeChildrenChanged", path: "/tw/x" });
    expect(events.some((e) => e.path === "/elsewhere.txt")).toBe(false);
  });

  it("watchTree on / streams system-node events (an SDK's instance znode) to admins only", async () => {
    await ensureUser(server.url, "tree-viewer", [{ pathPrefix: "/", role: "viewer" }]);
    const watchers = { admin: await open(ADMIN_USER), viewer: await open("tree-viewer"), token: await open() };
    const heard = { admin: [] as TreeEvent[], viewer: [] as TreeEvent[], token: [] as TreeEvent[] };
    for (const [who, s] of Object.entries(watchers)) {
      s.on("treeEvent", (e) => heard[who as keyof typeof heard].push(e));
      await ask<null>((ack) => s.emit("watchTree", { path: "/" }, ack));
    }
    const sdk = await open();
    await hello(sdk, "inst-tree-leak");
    // a plain node afterwards: once every watcher heard it, any system event would have arrived too
    await api.config.create.mutate({ path: "/tree-after-hello.txt", content: "1" });
    const sawPlain = (list: TreeEvent[]) => list.some((e) => e.path === "/tree-after-hello.txt");
    await waitFor(() => Object.values(heard).every(sawPlain), "every watcher heard the plain node");
    const system = (list: TreeEvent[]) => list.filter((e) => e.path.startsWith("/conifer"));
    expect(system(heard.admin).some((e) => e.path.includes("inst-tree-leak"))).toBe(true);
    expect(system(heard.viewer)).toEqual([]);
    expect(system(heard.token)).toEqual([]);
  });

  it("invalid messages get error acks and the socket stays usable", async () => {
    const s = await open();
    await expect(
      ask((ack) => s.emit("subscribe", { paths: "nope" } as unknown as { paths: string[] }, ack as never)),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(subscribe(s, ["/a/../b"])).rejects.toMatchObject({ code: "INVALID_PATH" });
    await expect(ask((ack) => s.emit("hello", { app: "x" } as never, ack as never))).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    await expect(fetchSnap(s, "/a\u0000b")).rejects.toMatchObject({ code: "INVALID_PATH" });
    expect(await subscribe(s, ["/ok.txt"])).toHaveLength(1);
  });

  it("after the backend session expires: resync is emitted, instances and the watch come back", async () => {
    const s = await open();
    await hello(s, "inst-expiry", "orders");
    await subscribe(s, ["/svc/after.txt"]);
    const resync = new Promise<{ reason: string }>((resolve) => s.once("resync", resolve));
    const oldSession = server.conifer.session;
    const engine = server.backend;
    if (!(engine instanceof Engine)) throw new Error("this test needs the embedded engine as the backend");
    await expireSession(engine, oldSession);
    expect((await resync).reason).toMatch(/session/);
    expect(server.conifer.session).not.toBe(oldSession);
    await waitFor(
      async () => (await api.instances.list.query({})).instances.some((i) => i.instanceId === "inst-expiry"),
      "instance re-registered",
    );

    const notices: ChangeNotice[] = [];
    s.on("changed", (n) => notices.push(n));
    await api.config.create.mutate({ path: "/svc/after.txt", content: "x" });
    await waitFor(() => notices.length > 0, "notice after renewal");
  });

  it("kill() drops connections like a crash (clients see a transport close, not a goodbye)", async () => {
    const t = await tempDir();
    const doomed = await start(t.dir);
    try {
      const doomedToken = (await apiToken(doomed.url, ["/"], "read")).token;
      const s = await connected(sockets.open(doomed.url, { auth: { token: doomedToken } }));
      const reason = new Promise<string>((resolve) => s.once("disconnect", (r) => resolve(r)));
      await doomed.kill();
      expect(await reason).toBe("transport close");
    } finally {
      await doomed.close();
      await t.cleanup();
    }
  });
});
