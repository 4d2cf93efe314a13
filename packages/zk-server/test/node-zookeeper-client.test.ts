/**
 * The npm client `node-zookeeper-client` (1.1.3, pure JS, a client nobody in this repo wrote)
 * against the embedded engine's wire server: create (persistent, ephemeral, sequential),
 * getData / exists / getChildren watches, transactions (one that applies, one that fails and
 * applies nothing), digest ACLs and session expiry. The same test body runs against a real
 * Apache ZooKeeper 3.8 started by the test when Debian's package is installed, so a divergence
 * shows as one target failing.
 */
import { createHash } from "node:crypto";
import net from "node:net";
import type { Session } from "@conifer/coordinator";
import { expireSession } from "@conifer/engine/testing";
import { startEnsemble, zookeeperInstalled } from "@conifer/zookeeper/testing";
import type { Ensemble } from "@conifer/zookeeper/testing";
import zookeeper from "node-zookeeper-client";
import type { ACL, Client, Event, Stat } from "node-zookeeper-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startWire } from "./fixture.ts";
import type { WireFixture } from "./fixture.ts";

const { CreateMode, Exception, Event: Ev, Permission, State } = zookeeper;
const WAIT = { timeout: 60_000, interval: 20 };

/** a TCP relay in front of a server: cut() drops the client's connections and refuses new ones */
interface Relay {
  address: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

async function startRelay(upstream: string): Promise<Relay> {
  const [host, port] = upstream.split(":") as [string, string];
  const sockets = new Set<net.Socket>();
  let refusing = false;
  const server = net.createServer((down) => {
    if (refusing) {
      down.destroy();
      return;
    }
    const up = net.connect(Number(port), host);
    sockets.add(down).add(up);
    const end = (): void => {
      down.destroy();
      up.destroy();
      sockets.delete(down);
      sockets.delete(up);
    };
    down.on("error", end).on("close", end);
    up.on("error", end).on("close", end);
    down.pipe(up);
    up.pipe(down);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port: relayPort } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${relayPort}`,
    cut() {
      refusing = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      refusing = false;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** the client's callback API as promises */
function api(c: Client) {
  const p = <T>(f: (cb: (err: Error | InstanceType<typeof Exception> | null, v: T) => void) => void): Promise<T> =>
    new Promise((resolve, reject) => {
      f((err, v) => {
        // the library's Exception inherits Error at runtime (util.inherits), which @types does not say
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        if (err) reject(err);
        else resolve(v);
      });
    });
  return {
    create: (path: string, data: Buffer, mode: number, acls?: ACL[]) =>
      p<string>((cb) => {
        if (acls) c.create(path, data, acls, mode, cb);
        else c.create(path, data, mode, cb);
      }),
    getData: (path: string, watcher?: (e: Event) => void) =>
      p<Buffer>((cb) => {
        if (watcher) c.getData(path, watcher, cb);
        else c.getData(path, cb);
      }),
    exists: (path: string, watcher?: (e: Event) => void) =>
      p<Stat | null>((cb) => {
        if (watcher) c.exists(path, watcher, cb);
        else c.exists(path, cb);
      }),
    getChildren: (path: string, watcher?: (e: Event) => void) =>
      p<string[]>((cb) => {
        if (watcher) c.getChildren(path, watcher, cb);
        else c.getChildren(path, cb);
      }),
    setData: (path: string, data: Buffer, version = -1) => p<Stat>((cb) => c.setData(path, data, version, cb)),
    remove: (path: string) => p<undefined>((cb) => c.remove(path, (e) => cb(e, undefined))),
    getACL: (path: string) => p<ACL[]>((cb) => c.getACL(path, cb)),
  };
}

/** the error code a rejected call carries */
async function codeOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof Exception) return e.code;
    throw e;
  }
  throw new Error("the call succeeded");
}

async function connect(address: string, sessionTimeout = 30_000): Promise<Client> {
  const c = zookeeper.createClient(address, { sessionTimeout, spinDelay: 100, retries: 2 });
  const connected = new Promise<void>((r) => c.once("connected", r));
  c.connect();
  await connected;
  return c;
}

function commit(c: Client, build: (t: ReturnType<Client["transaction"]>) => void) {
  return new Promise<{ error: unknown; results: { type: number; err?: number; path?: string; stat?: Stat }[] }>(
    (resolve) => {
      const t = c.transaction();
      build(t);
      t.commit((error, results: { type: number; err?: number; path?: string; stat?: Stat }[]) =>
        resolve({ error, results }),
      );
    },
  );
}

const digestId = (user: string, password: string) =>
  `${user}:${createHash("sha1").update(`${user}:${password}`).digest("base64")}`;

const targets: { name: string; available: boolean }[] = [
  { name: "embedded engine over the wire", available: true },
  { name: "Apache ZooKeeper 3.8", available: zookeeperInstalled() },
];

for (const target of targets) {
  describe.skipIf(!target.available)(`node-zookeeper-client against the ${target.name}`, () => {
    let wire: WireFixture | undefined;
    let ensemble: Ensemble | undefined;
    let address = "";
    const clients: Client[] = [];
    const relays: Relay[] = [];
    const open = async (addr = address, timeout?: number) => {
      const c = await connect(addr, timeout);
      clients.push(c);
      return c;
    };

    beforeAll(async () => {
      if (target.available && target.name.startsWith("embedded")) {
        wire = await startWire();
        address = wire.connectString;
      } else {
        ensemble = await startEnsemble({ size: 1, tickTimeMs: 2000 });
        address = ensemble.members[0]!.address;
      }
    }, 300_000);

    afterAll(async () => {
      for (const c of clients) c.close();
      for (const r of relays) await r.close();
      await wire?.stop();
      await ensemble?.stop();
    });

    it("creates persistent, ephemeral and sequential nodes", async () => {
      const c = api(await open());
      expect(await c.create("/nzk", Buffer.from("root"), CreateMode.PERSISTENT)).toBe("/nzk");
      expect(await c.create("/nzk/eph", Buffer.from("e"), CreateMode.EPHEMERAL)).toBe("/nzk/eph");
      expect(await c.create("/nzk/seq-", Buffer.from("1"), CreateMode.PERSISTENT_SEQUENTIAL)).toBe(
        "/nzk/seq-0000000001",
      );
      expect(await c.create("/nzk/seq-", Buffer.from("2"), CreateMode.EPHEMERAL_SEQUENTIAL)).toBe(
        "/nzk/seq-0000000002",
      );
      expect((await c.getData("/nzk")).toString()).toBe("root");
      expect((await c.exists("/nzk/eph"))?.ephemeralOwner.equals(Buffer.alloc(8))).toBe(false);
      expect((await c.getChildren("/nzk")).sort()).toEqual(["eph", "seq-0000000001", "seq-0000000002"]);
      expect(await codeOf(c.create("/nzk", Buffer.alloc(0), CreateMode.PERSISTENT))).toBe(Exception.NODE_EXISTS);
      expect(await codeOf(c.create("/nzk/eph/x", Buffer.alloc(0), CreateMode.PERSISTENT))).toBe(
        Exception.NO_CHILDREN_FOR_EPHEMERALS,
      );
      expect(await codeOf(c.getData("/nzk/none"))).toBe(Exception.NO_NODE);
    }, 120_000);

    it("fires getData / exists watches on setData and on delete, getChildren watches on a new child", async () => {
      const writer = api(await open());
      const watcher = api(await open());
      await writer.create("/w", Buffer.from("v0"), CreateMode.PERSISTENT);

      const events: string[] = [];
      const log = (tag: string) => (e: Event) => events.push(`${tag} ${e.getName()} ${e.getPath()}`);
      await watcher.getData("/w", log("data"));
      await watcher.exists("/w", log("exists"));
      await writer.setData("/w", Buffer.from("v1"));
      await vi.waitFor(
        () => expect(events).toEqual(["data NODE_DATA_CHANGED /w", "exists NODE_DATA_CHANGED /w"]),
        WAIT,
      );

      // one-shot: re-arm, then delete
      events.length = 0;
      expect((await watcher.getData("/w", log("data"))).toString()).toBe("v1");
      await writer.remove("/w");
      await vi.waitFor(() => expect(events).toEqual(["data NODE_DELETED /w"]), WAIT);

      // exists on a missing node fires on its creation
      events.length = 0;
      expect(await watcher.exists("/w", log("exists"))).toBeNull();
      await writer.create("/w", Buffer.alloc(0), CreateMode.PERSISTENT);
      await vi.waitFor(() => expect(events).toEqual(["exists NODE_CREATED /w"]), WAIT);

      events.length = 0;
      expect(await watcher.getChildren("/w", log("children"))).toEqual([]);
      await writer.create("/w/kid", Buffer.alloc(0), CreateMode.PERSISTENT);
      await vi.waitFor(() => expect(events).toEqual(["children NODE_CHILDREN_CHANGED /w"]), WAIT);
      expect(Ev.NODE_CHILDREN_CHANGED).toBe(4);
    }, 120_000);

    it("commits a transaction (create + setData + check), and a failing one applies nothing", async () => {
      const raw = await open();
      const c = api(raw);
      await c.create("/tx", Buffer.from("a"), CreateMode.PERSISTENT);

      const ok = await commit(raw, (t) =>
        t.create("/tx/new", Buffer.from("n")).setData("/tx", Buffer.from("b"), 0).check("/tx", 1),
      );
      expect(ok.error).toBeFalsy();
      expect(ok.results).toMatchObject([{ type: 1, path: "/tx/new" }, { type: 5, stat: { version: 1 } }, { type: 13 }]);
      expect((await c.getData("/tx")).toString()).toBe("b");
      expect((await c.getData("/tx/new")).toString()).toBe("n");

      const bad = await commit(raw, (t) =>
        t.create("/tx/never", Buffer.from("x")).setData("/tx", Buffer.from("c")).check("/tx", 99),
      );
      expect(bad.error).toBeInstanceOf(Exception);
      expect((bad.error as InstanceType<typeof Exception>).code).toBe(Exception.BAD_VERSION);
      // every sub-op reports as an error result: the ones before the failing check OK, the check BAD_VERSION
      expect(bad.results.map((r) => [r.type, r.err])).toEqual([
        [-1, 0],
        [-1, 0],
        [-1, Exception.BAD_VERSION],
      ]);
      expect(await c.exists("/tx/never")).toBeNull();
      expect((await c.getData("/tx")).toString()).toBe("b");
      expect((await c.exists("/tx"))?.version).toBe(1);
    }, 120_000);

    it("enforces a digest ACL: NO_AUTH for an anonymous client, readable after addAuthInfo", async () => {
      const ownerRaw = await open();
      ownerRaw.addAuthInfo("digest", Buffer.from("alice:secret"));
      const owner = api(ownerRaw);
      const acl = [new zookeeper.ACL(Permission.ALL, new zookeeper.Id("digest", digestId("alice", "secret")))];
      // the auth packet goes before the create on the same connection, so the create is authenticated
      await owner.create("/secret", Buffer.from("s3"), CreateMode.PERSISTENT, acl);
      expect((await owner.getData("/secret")).toString()).toBe("s3");
      const got = await owner.getACL("/secret");
      // 1.1.3 names the field `permission` (@types says `perms`)
      expect(got.map((a) => [(a as unknown as { permission: number }).permission, a.id.scheme, a.id.id])).toEqual([
        [Permission.ALL, "digest", digestId("alice", "secret")],
      ]);

      const anon = api(await open());
      expect(await codeOf(anon.getData("/secret"))).toBe(Exception.NO_AUTH);
      expect(await codeOf(anon.setData("/secret", Buffer.from("x")))).toBe(Exception.NO_AUTH);
      expect(await anon.exists("/secret")).not.toBeNull(); // exists needs no permission

      const wrongRaw = await open();
      wrongRaw.addAuthInfo("digest", Buffer.from("alice:wrong"));
      expect(await codeOf(api(wrongRaw).getData("/secret"))).toBe(Exception.NO_AUTH);

      const otherRaw = await open();
      otherRaw.addAuthInfo("digest", Buffer.from("alice:secret"));
      expect((await api(otherRaw).getData("/secret")).toString()).toBe("s3");
    }, 120_000);

    it("expires a session that lost its server: EXPIRED state, its ephemeral gone for others", async () => {
      const relay = await startRelay(address);
      relays.push(relay);
      const doomedRaw = await open(relay.address, 4000);
      const states: string[] = [];
      doomedRaw.on("state", (s) => states.push(s.name));
      await api(doomedRaw).create("/doomed", Buffer.alloc(0), CreateMode.EPHEMERAL);

      const other = api(await open());
      expect(await other.exists("/doomed")).not.toBeNull();
      const gone: string[] = [];
      await other.exists("/doomed", (e) => gone.push(e.getName()));

      relay.cut();
      await vi.waitFor(() => expect(states).toContain("DISCONNECTED"), WAIT);
      // the server expires the session after its timeout: the ephemeral goes, the watch fires
      await vi.waitFor(() => expect(gone).toEqual(["NODE_DELETED"]), WAIT);
      expect(await other.exists("/doomed")).toBeNull();

      relay.restore();
      await vi.waitFor(() => expect(states).toContain(State.EXPIRED.name), WAIT);
    }, 120_000);

    it.runIf(target.name.startsWith("embedded"))(
      "expireSession on the engine session behind a client: EXPIRED state, its ephemeral gone for others",
      async () => {
        const engine = wire!.engine;
        const opened: Session[] = [];
        const connectOriginal = engine.connect.bind(engine);
        const spy = vi.spyOn(engine, "connect").mockImplementation(async (o) => {
          const s = await connectOriginal(o);
          opened.push(s);
          return s;
        });
        const doomedRaw = await open();
        spy.mockRestore();
        const states: string[] = [];
        doomedRaw.on("state", (s) => states.push(s.name));
        await api(doomedRaw).create("/doomed2", Buffer.alloc(0), CreateMode.EPHEMERAL);
        const id = doomedRaw.getSessionId().readBigUInt64BE();
        const session = opened.find((s) => s.sessionId === id);
        expect(session).toBeDefined();

        const other = api(await open());
        const gone: string[] = [];
        await other.exists("/doomed2", (e) => gone.push(e.getName()));
        await expireSession(engine, session!);
        await vi.waitFor(() => expect(gone).toEqual(["NODE_DELETED"]), WAIT);
        expect(await other.exists("/doomed2")).toBeNull();
        // the server closes the connection; the client re-attaches and is told SESSION_EXPIRED
        await vi.waitFor(() => expect(states).toContain(State.EXPIRED.name), WAIT);
      },
      120_000,
    );
  });
}
