/**
 * Adapter behaviour the contract suite cannot express, against a real 3-node ensemble:
 * chroot isolation, digest credentials from a zookeeper:// URL, failover to another member
 * keeping the session (ephemerals and watches), expiry reporting, no-quorum errors, info().
 */
import { CoordinatorError, type Backend, type Session, type SessionState, type WatchEvent } from "@conifer/coordinator";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createZooKeeperBackend, ZooKeeperSession } from "../src/index.ts";
import { partition, startEnsemble, type Ensemble } from "../src/testing/index.ts";
import { waitUntilSessionGone } from "./support.ts";

let ensemble: Ensemble;
let root: Backend;
let rootSession: Session;

beforeAll(async () => {
  ensemble = await startEnsemble({ size: 3, tickTimeMs: 500 });
  root = createZooKeeperBackend({ connectString: ensemble.connectString, sessionTimeoutMs: 10_000 });
  rootSession = await root.connect();
}, 300_000);

afterAll(async () => {
  // beforeAll may have failed before setting them
  const started: Partial<{ root: Backend; ensemble: Ensemble }> = { root, ensemble };
  await started.root?.close();
  await started.ensemble?.stop();
});

/** the adapter's session class, checked rather than cast */
async function zkSession(b: Backend): Promise<ZooKeeperSession> {
  const s = await b.connect();
  if (!(s instanceof ZooKeeperSession)) throw new Error("the ZooKeeper backend did not return a ZooKeeperSession");
  return s;
}

async function until(what: string, probe: () => boolean | Promise<boolean>, ceilingMs = 60_000): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await probe())) throw new Error(`timed out waiting for ${what}`);
    },
    { timeout: ceilingMs, interval: 50 },
  );
}

const unique = (prefix: string) => `/${prefix}-${Math.random().toString(36).slice(2, 8)}`;

describe("chroot", () => {
  it("confines every path, event and result to the chroot", async () => {
    const chroot = unique("chroot");
    await rootSession.create(chroot);
    const b = createZooKeeperBackend({ connectString: `${ensemble.connectString}${chroot}`, sessionTimeoutMs: 10_000 });
    try {
      const s = await b.connect();
      const events: WatchEvent[] = [];
      await s.addWatch("/", "PERSISTENT_RECURSIVE", (e) => events.push(e));
      expect((await s.create("/x", Buffer.from("1"))).path).toBe("/x");
      expect((await s.create("/x/q-", null, { mode: "EPHEMERAL_SEQUENTIAL" })).path).toBe("/x/q-0000000000");
      const { results: res } = await s.multi([{ type: "create", path: "/y" }]);
      expect(res).toEqual([{ type: "create", path: "/y" }]);
      expect((await s.getChildren("/")).children.sort()).toEqual(["x", "y"]);
      expect(await s.getEphemerals("/")).toEqual(["/x/q-0000000000"]);
      await until("3 events", () => events.length >= 3);
      expect(events.slice(0, 3)).toEqual([
        { type: "NodeCreated", path: "/x" },
        { type: "NodeCreated", path: "/x/q-0000000000" },
        { type: "NodeCreated", path: "/y" },
      ]);
      // from outside, the nodes live under the chroot
      await rootSession.sync(chroot);
      expect((await rootSession.getData(`${chroot}/x`)).data.toString()).toBe("1");
      expect(await rootSession.exists("/x")).toBeNull();
    } finally {
      await b.close();
    }
  });
});

describe("digest credentials in a zookeeper:// URL", () => {
  it("authenticate every session; others get NO_AUTH", async () => {
    const hosts = ensemble.connectString;
    const alice = createZooKeeperBackend({
      connectString: `zookeeper://alice:s%40cret@${hosts}`,
      sessionTimeoutMs: 10_000,
    });
    try {
      const s = await alice.connect();
      const path = unique("secret");
      await s.create(path, Buffer.from("x"), { acl: [{ perms: 31, id: { scheme: "auth", id: "" } }] });
      const { acl } = await s.getACL(path);
      expect(acl).toHaveLength(1);
      expect(acl[0]?.id.scheme).toBe("digest");
      expect(acl[0]?.id.id.startsWith("alice:")).toBe(true);
      await rootSession.sync(path);
      await expect(rootSession.getData(path)).rejects.toMatchObject({ code: "NO_AUTH" });
      const info = await alice.info();
      expect(info.description).not.toContain("cret");
    } finally {
      await alice.close();
    }
  });
});

describe("failover", () => {
  it("when the connected member dies, the session moves to another one with its ephemerals and watches", async () => {
    const b = createZooKeeperBackend({ connectString: ensemble.connectString, sessionTimeoutMs: 20_000 });
    try {
      const s = await zkSession(b);
      const leader = await ensemble.leader();
      // kill a follower, so the test exercises the client and not the election
      for (let i = 0; s.connectedTo === leader.address && i < 10; i++) {
        s.dropConnection();
        expect(s.state).toBe("disconnected");
        await until("reconnected", () => s.state === "connected" && s.connectedTo !== null);
      }
      expect(s.connectedTo).not.toBe(leader.address);
      const victim = ensemble.members.find((m) => m.address === s.connectedTo)!;
      const states: SessionState[] = [];
      s.onStateChange((st) => states.push(st));
      const path = unique("failover");
      await s.create(path, Buffer.from("0"));
      await s.create(`${path}/eph`, null, { mode: "EPHEMERAL" });
      const events: WatchEvent[] = [];
      await s.getData(path, (e) => events.push(e));
      const persistent: WatchEvent[] = [];
      await s.addWatch(path, "PERSISTENT", (e) => persistent.push(e));
      const id = s.sessionId;

      await ensemble.kill(victim.id);
      await until(
        "moved to another member",
        () => s.state === "connected" && s.connectedTo !== null && s.connectedTo !== victim.address,
      );
      // a noisy machine may add a spurious reconnect, but never an expiry
      expect(states[0]).toBe("disconnected");
      expect(states.at(-1)).toBe("connected");
      expect(states).not.toContain("expired");
      expect(s.sessionId).toBe(id);

      await rootSession.sync(path);
      expect((await rootSession.exists(`${path}/eph`))?.ephemeralOwner).toBe(id);
      // watches were re-registered on the new member (setWatches)
      await rootSession.setData(path, Buffer.from("1"));
      await until("watch events after failover", () => events.length === 1 && persistent.length === 1);
      expect(events).toEqual([{ type: "NodeDataChanged", path }]);
      await s.close();
    } finally {
      await b.close();
      const dead = ensemble.members.filter((m) => !m.running);
      for (const m of dead) await ensemble.start(m.id);
    }
  }, 240_000);

  it("when the leader dies, a new one is elected and the session keeps its id and ephemerals", async () => {
    const b = createZooKeeperBackend({ connectString: ensemble.connectString, sessionTimeoutMs: 20_000 });
    try {
      const s = await b.connect();
      const path = unique("leaderless");
      await s.create(path, null, { mode: "EPHEMERAL" });
      const id = s.sessionId;
      const old = await ensemble.leader();
      await ensemble.kill(old.id);
      const next = await ensemble.leader();
      expect(next.id).not.toBe(old.id);
      // writes resume once the session is attached to a serving member; retry only retryable errors
      await until("a write after the election", async () => {
        try {
          await s.setData(path, Buffer.from("after"));
          return true;
        } catch (e) {
          if (!(e instanceof CoordinatorError) || !e.retryable) throw e;
          return false;
        }
      });
      expect(s.sessionId).toBe(id);
      expect((await s.exists(path))?.ephemeralOwner).toBe(id);
      await s.close();
    } finally {
      await b.close();
      for (const m of ensemble.members.filter((x) => !x.running)) await ensemble.start(m.id);
    }
  }, 240_000);

  it("a request in flight when the connection drops fails with retryable CONNECTION_LOSS; one issued while disconnected waits and succeeds", async () => {
    const b = createZooKeeperBackend({ connectString: ensemble.connectString, sessionTimeoutMs: 20_000 });
    try {
      const s = await zkSession(b);
      const path = unique("inflight");
      await s.create(path, Buffer.from("0"));
      const inFlight = s.getData(path);
      s.dropConnection();
      const err = await inFlight.catch((e: unknown) => e);
      expect(CoordinatorError.is(err, "CONNECTION_LOSS")).toBe(true);
      expect((err as CoordinatorError).retryable).toBe(true);
      partition(s, true);
      const queued = s.setData(path, Buffer.from("1"));
      partition(s, false);
      expect((await queued).stat.version).toBe(1);
      expect(s.state).toBe("connected");
    } finally {
      await b.close();
    }
  });

  it("a change made while disconnected is reported on reconnect (setWatches with the last zxid)", async () => {
    const b = createZooKeeperBackend({ connectString: ensemble.connectString, sessionTimeoutMs: 20_000 });
    try {
      const s = await zkSession(b);
      const path = unique("missed");
      await s.create(path, Buffer.from("0"));
      const events: WatchEvent[] = [];
      await s.getData(path, (e) => events.push(e));
      partition(s, true);
      await until("disconnected", () => s.state === "disconnected");
      await rootSession.setData(path, Buffer.from("1"));
      partition(s, false);
      await until("event after reconnect", () => events.length === 1);
      expect(events).toEqual([{ type: "NodeDataChanged", path }]);
      expect(s.state).toBe("connected");
    } finally {
      await b.close();
    }
  });
});

describe("many watches", () => {
  it("thousands of watches survive a reconnect (setWatches split into ~128 KB messages)", async () => {
    const b = createZooKeeperBackend({ connectString: ensemble.connectString, sessionTimeoutMs: 20_000 });
    try {
      const s = await zkSession(b);
      const base = unique("many");
      await s.create(base);
      const paths = Array.from(
        { length: 2500 },
        (_, i) => `${base}/a-rather-long-node-name-to-fill-the-watch-list-${i}`,
      );
      const events: WatchEvent[] = [];
      await Promise.all(paths.map((p) => s.exists(p, (e) => events.push(e))));
      partition(s, true);
      await until("disconnected", () => s.state === "disconnected");
      partition(s, false);
      await until("reconnected", () => s.state === "connected");
      await rootSession.create(paths[0]!);
      await rootSession.create(paths.at(-1)!);
      await until("events for the first and last path", () => events.length === 2);
      expect(events.map((e) => e.path).sort()).toEqual([paths[0], paths.at(-1)].sort());
    } finally {
      await b.close();
    }
  });
});

describe("session expiry", () => {
  it("is reported as disconnected then expired; requests fail SESSION_EXPIRED; connect() gives a new session", async () => {
    const b = createZooKeeperBackend({ connectString: ensemble.connectString, sessionTimeoutMs: 2_000 });
    try {
      const s = await zkSession(b);
      expect(s.timeoutMs).toBe(2_000);
      const path = unique("exp");
      await s.create(path, null, { mode: "EPHEMERAL" });
      const states: SessionState[] = [];
      s.onStateChange((st) => states.push(st));
      partition(s, true);
      await waitUntilSessionGone(ensemble, s.sessionId);
      partition(s, false);
      await until("expired", () => states.includes("expired"));
      expect(states[0]).toBe("disconnected");
      expect(states.at(-1)).toBe("expired");
      const err = await s.getData("/").catch((e: unknown) => e);
      expect(CoordinatorError.is(err, "SESSION_EXPIRED")).toBe(true);
      const again = await b.connect();
      expect(again.sessionId).not.toBe(s.sessionId);
      expect(await again.exists(path)).toBeNull();
    } finally {
      await b.close();
    }
  });
});

describe("info and quorum", () => {
  it("info() shows one leader and two followers, writable", async () => {
    const info = await root.info();
    expect(info.kind).toBe("zookeeper");
    expect(info.writable).toBe(true);
    expect(info.members.map((m) => m.role).sort()).toEqual(["follower", "follower", "leader"]);
    expect(info.members.every((m) => typeof m.zxid === "bigint")).toBe(true);
  });

  it("without a quorum: requests fail with retryable CONNECTION_LOSS, new sessions with a clear retryable error", async () => {
    const b = createZooKeeperBackend({
      connectString: ensemble.connectString,
      sessionTimeoutMs: 20_000,
      connectDeadlineMs: 3_000,
    });
    try {
      const s = await b.connect();
      const [first, second] = ensemble.members;
      await ensemble.kill(first!.id);
      await ensemble.kill(second!.id);
      const err = await until("a failed request", async () => {
        try {
          await s.create(unique("noquorum"));
          return false;
        } catch (e) {
          expect(CoordinatorError.is(e)).toBe(true);
          expect((e as CoordinatorError).retryable).toBe(true);
          return true;
        }
      }).then(() => null);
      expect(err).toBeNull();
      const refused = await b.connect().catch((e: unknown) => e);
      expect(CoordinatorError.is(refused, "CONNECTION_LOSS")).toBe(true);
      expect((refused as CoordinatorError).retryable).toBe(true);
      expect((refused as Error).message).toMatch(/quorum/);
      expect((await b.info()).writable).toBe(false);
    } finally {
      await b.close();
      for (const m of ensemble.members.filter((x) => !x.running)) await ensemble.start(m.id);
    }
    // the ensemble serves again and the old session (if still alive) or a new one can write
    const s2 = await root.connect();
    await s2.create(unique("back"));
    await s2.close();
  }, 240_000);
});
