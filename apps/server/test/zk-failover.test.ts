/**
 * Failover of a Conifer server on a real 3-node ZooKeeper ensemble with its history in a real
 * PostgreSQL, driven through tRPC and watched by real SDK clients:
 *   - the leader dies while configs are being published,
 *   - two of three members die (no quorum) and come back,
 *   - the server's own session expires.
 * One ensemble, one database and one server for the whole file; each case restarts what it
 * killed. Ceilings are for hangs only; nothing here depends on speed.
 */
import { startPostgres, type PostgresFixture } from "@conifer/history/testing";
import { ZooKeeperSession, createZooKeeperBackend } from "@conifer/zookeeper";
import { partition, startEnsemble, zookeeperInstalled, type Ensemble } from "@conifer/zookeeper/testing";
import { CoordinatorError, type Backend, type Session } from "@conifer/coordinator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { sdkToken } from "./auth.ts";
import { client, start, tempDir } from "./helpers.ts";
import { eventually, sdkClients } from "./sdk-fixtures.ts";
import {
  coniferFailure,
  restartKilled,
  waitUntilSessionGone,
  watcherSocket,
  type ConiferFailure,
} from "./zk-failover-fixtures.ts";

const SESSION_TIMEOUT_MS = 8_000;

let zk: Ensemble;
let pg: PostgresFixture;
let server: RunningServer;
let outside: Backend;
let outsideSession: Session;
let cleanup: () => Promise<void>;
const clients = sdkClients();

describe.skipIf(!zookeeperInstalled())("Conifer on a 3-node ZooKeeper ensemble: failover", () => {
  beforeAll(async () => {
    [zk, pg] = await Promise.all([startEnsemble({ size: 3, tickTimeMs: 500 }), startPostgres()]);
    const databaseUrl = await pg.createDatabase("conifer_zk_failover");
    const t = await tempDir("conifer-zk-failover-");
    cleanup = t.cleanup;
    server = await start(t.dir, {
      backendUrl: `zookeeper://${zk.connectString}`,
      databaseUrl,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
    });
    outside = createZooKeeperBackend({ connectString: zk.connectString, sessionTimeoutMs: 20_000 });
    outsideSession = await outside.connect();
  }, 300_000);

  afterAll(async () => {
    await clients.closeAll();
    // unset when beforeAll failed before starting them
    const started = { outside, server, zk, pg, cleanup } as Partial<{
      outside: Backend;
      server: RunningServer;
      zk: Ensemble;
      pg: PostgresFixture;
      cleanup: () => Promise<void>;
    }>;
    await started.outside?.close();
    await started.server?.close();
    await started.zk?.stop();
    await started.pg?.stop();
    await started.cleanup?.();
  });

  it("leader killed mid-publishing: each publish succeeds or fails retryably; acknowledged ones are in ZooKeeper and history; SDKs end current", async () => {
    const api = client(server, "publisher", "api");
    const paths = [0, 1, 2].map((i) => `/failover/leader-${i}.json`);
    for (const path of paths) await api.config.create.mutate({ path, content: '{"n":-1}', mode: "persistent" });
    const sdks = [0, 1, 2].map((i) => clients.make({ url: server.url, app: `leader-${i}` }));
    for (const c of sdks) for (const path of paths) expect(await c.get(path)).toEqual({ n: -1 });

    const old = await zk.leader();
    const failures: ConiferFailure[] = [];
    let killed = false;
    let leaderGone = false; // the JVM has exited: publishes started after this need the new leader
    // three publishers in parallel, so the kill lands while several publishes are in flight
    const publisher = async (path: string) => {
      const acked: { n: number; version: number; mzxid: string }[] = [];
      let ackedAfterKill = 0;
      const deadline = Date.now() + 180_000;
      for (let n = 0; ackedAfterKill < 4; n++) {
        if (Date.now() > deadline)
          throw new Error(`publishing never resumed; failures: ${JSON.stringify(failures.slice(-3))}`);
        if (!killed && acked.length === 3) {
          killed = true;
          // not awaited: the publishes go on meanwhile
          void zk.kill(old.id).then(() => (leaderGone = true));
        }
        const afterKill = leaderGone;
        try {
          const { stat } = await api.config.get.query({ path });
          const res = await api.config.update.mutate({
            path,
            content: JSON.stringify({ n }),
            expectedVersion: stat.version,
          });
          acked.push({ n, version: res.stat.version, mzxid: res.stat.mzxid });
          if (afterKill) ackedAfterKill++;
        } catch (err) {
          const f = coniferFailure(err);
          if (!f) throw err;
          failures.push(f);
          // the only acceptable failure: the backend is unavailable, retry later (HTTP 503)
          expect(f.code).toBe("BACKEND_UNAVAILABLE");
          expect(f.httpStatus).toBe(503);
          expect(f.message).toMatch(/try again|retry/i);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      return acked;
    };
    const results = await Promise.all(paths.map(publisher));
    expect((await zk.leader()).id).not.toBe(old.id);

    for (const [i, path] of paths.entries()) {
      const acked = results[i]!;
      // acknowledged publishes are ordered and the last one is what ZooKeeper holds
      const mz = acked.map((a) => BigInt(a.mzxid));
      expect(mz.every((x, j) => j === 0 || x > mz[j - 1]!)).toBe(true);
      const last = acked.at(-1)!;
      await outsideSession.sync(path);
      const live = await outsideSession.getData(path);
      expect(live.stat.mzxid.toString()).toBe(last.mzxid);
      expect(JSON.parse(live.data.toString())).toEqual({ n: last.n });

      // every acknowledged publish is in history once, with its author; no version twice
      await server.conifer.drain();
      const rows = (await server.history.list(path, { limit: 500 })).items;
      for (const a of acked) {
        const matching = rows.filter((r) => r.mzxid === a.mzxid);
        expect(matching, `history row for ${path} n=${a.n}`).toHaveLength(1);
        expect(matching[0]).toMatchObject({ version: a.version, author: "publisher", source: "api" });
      }
      const versions = rows.map((r) => r.version);
      expect(new Set(versions).size).toBe(versions.length);
      // a publish that failed with an unknown outcome (connection lost) but did land keeps its author
      expect(rows.filter((r) => r.source === "external")).toEqual([]);

      for (const c of sdks) {
        await eventually(() => c.getSnapshot(path)?.meta.mzxid === last.mzxid, "SDK has the final value", 120_000);
        expect(c.getSnapshot(path)?.value).toEqual({ n: last.n });
      }
    }
    console.info(`leader failover: ${failures.length} publish(es) refused as retryable during the election`);
    // one member down of three: still writable, shown as degraded with the dead member unreachable
    const info = await client(server).cluster.info.query();
    expect(info).toMatchObject({ kind: "zookeeper", writable: true, details: { status: "degraded" } });
    expect(info.members.map((m) => m.role).sort()).toEqual(["follower", "leader", "unreachable"]);
    await restartKilled(zk);
    const healed = await eventually(
      async () => {
        const i = await client(server).cluster.info.query();
        return i.details.status === "healthy" ? i : undefined;
      },
      "all members serving again",
      120_000,
    );
    expect(
      healed.members.every((m) => m.zxid !== undefined && m.connections !== undefined && m.latencyMs !== undefined),
    ).toBe(true);
  }, 400_000);

  it("a publish whose answer is lost (outcome unknown) says so, and if it landed history still names its author", async () => {
    const api = client(server, "carol", "console");
    const path = "/failover/lost-answer.json";
    const created = await api.config.create.mutate({ path, content: '{"v":0}', mode: "persistent" });
    // the request reaches ZooKeeper and is applied; the answer is lost with the connection
    const session = server.conifer.session;
    const original = session.setData.bind(session);
    session.setData = async (...args: Parameters<typeof original>) => {
      await original(...args);
      throw new CoordinatorError("CONNECTION_LOSS", "connection lost while the request was in flight");
    };
    let failure: ConiferFailure | null;
    try {
      failure = await api.config.update
        .mutate({ path, content: '{"v":1}', expectedVersion: created.stat.version })
        .then(
          () => null,
          (e: unknown) => coniferFailure(e),
        );
    } finally {
      delete (session as { setData?: unknown }).setData;
    }
    expect(failure).toMatchObject({ code: "BACKEND_UNAVAILABLE", httpStatus: 503, details: { outcome: "unknown" } });
    expect(failure!.message).toMatch(/may or may not have been applied/);
    const { stat } = await outsideSession.getData(path);
    expect(stat.version).toBe(1);
    // recorded from the watch, attributed through the pending intent (after the intent grace period)
    const row = await eventually(
      async () => (await server.history.list(path)).items.find((r) => r.mzxid === stat.mzxid.toString()),
      "history row",
      90_000,
    );
    expect(row).toMatchObject({ version: 1, author: "carol", source: "console" });
  }, 120_000);

  it("two of three members down: writes refused with a clear error, SDK reads served, console told; all recovers", async () => {
    const api = client(server, "ops", "console");
    const path = "/failover/quorum.yaml";
    await api.config.create.mutate({ path, content: "mode: on\n", mode: "persistent" });
    const sdk = clients.make({ url: server.url, app: "quorum" });
    expect(await sdk.get(path)).toEqual({ mode: "on" });
    const consoleSocket = await watcherSocket(server.url);
    try {
      const [first, second] = zk.members;
      await zk.kill(first!.id);
      await zk.kill(second!.id);

      const info = await eventually(
        async () => {
          const i = await api.cluster.info.query();
          return !i.writable ? i : undefined;
        },
        "cluster.info says not writable",
        120_000,
      );
      expect(info.details.status).toBe("no quorum");
      expect(info.members.filter((m) => m.role === "unreachable")).toHaveLength(3);
      await eventually(
        () => consoleSocket.states.some((s) => !s.writable),
        "backendState writable:false on the console socket",
        120_000,
      );

      // a write is refused (bounded by the session timeout, not a hang) with a clear message
      const { stat } = await server.conifer.fetch(path).then((s) => ({ stat: { version: s.version } }));
      const refused = await api.config.update
        .mutate({ path, content: "mode: off\n", expectedVersion: stat.version })
        .then(
          () => null,
          (e: unknown) => coniferFailure(e),
        );
      expect(refused).not.toBeNull();
      expect(refused!.code).toBe("BACKEND_UNAVAILABLE");
      expect(refused!.httpStatus).toBe(503);
      expect(refused!.message).toMatch(/no quorum/);

      // reads: the SDK keeps its values; the REST read (like an SDK fetch) is served from the server's cache
      expect(await sdk.get(path)).toEqual({ mode: "on" });
      const rest = (await (
        await fetch(`${server.url}/api/v1/config?path=${encodeURIComponent(path)}`, {
          headers: { authorization: `Bearer ${sdkToken(server.url)}` },
        })
      ).json()) as { data: string; version: number };
      expect(rest).toMatchObject({ data: "mode: on\n", version: stat.version });
    } finally {
      await restartKilled(zk);
    }
    await eventually(async () => (await api.cluster.info.query()).writable, "writable again", 120_000);
    await eventually(() => consoleSocket.states.at(-1)?.writable === true, "backendState writable:true", 120_000);
    const after = await eventually(
      async () => {
        try {
          const { stat } = await api.config.get.query({ path });
          return (await api.config.update.mutate({ path, content: "mode: later\n", expectedVersion: stat.version }))
            .stat;
        } catch (err) {
          if (coniferFailure(err)?.code === "BACKEND_UNAVAILABLE") return undefined;
          throw err;
        }
      },
      "a write after the quorum is back",
      120_000,
    );
    await eventually(() => sdk.getSnapshot(path)?.meta.mzxid === after.mzxid, "SDK gets the later change", 120_000);
    expect(sdk.getSnapshot(path)?.value).toEqual({ mode: "later" });
    // the instance registry catches up too (reports written during the outage were refused)
    await eventually(
      async () => {
        const { instances } = await api.instances.list.query({ path });
        return instances
          .find((i) => i.instanceId === sdk.instanceId)
          ?.applied.some((a) => a.path === path && a.mzxid === after.mzxid);
      },
      "instance registry shows the applied version",
      120_000,
    );
    consoleSocket.socket.disconnect();
  }, 400_000);

  it("the server's session expires: its ephemerals and watch come back, SDKs resync and get what changed meanwhile", async () => {
    const api = client(server, "ops", "console");
    const path = "/failover/expiry.json";
    await api.config.create.mutate({ path, content: '{"v":1}', mode: "persistent" });
    const sdk = clients.make({ url: server.url, app: "expiry" });
    expect(await sdk.get(path)).toEqual({ v: 1 });
    const instancePath = `/conifer/instances/${sdk.instanceId}`;
    await eventually(async () => (await outsideSession.exists(instancePath)) !== null, "instance ephemeral");
    const watcher = await watcherSocket(server.url);
    const before = server.conifer.session;
    if (!(before instanceof ZooKeeperSession)) throw new Error("this test needs a ZooKeeper session");
    const oldId = before.sessionId;

    partition(before, true);
    await waitUntilSessionGone(zk, oldId);
    // changed while the server had no session: nobody tells it
    const { stat } = await outsideSession.getData(path);
    const { stat: changed } = await outsideSession.setData(path, Buffer.from('{"v":2}'), stat.version);
    expect(await outsideSession.exists(instancePath)).toBeNull(); // gone with the expired session
    partition(before, false);

    await eventually(
      () => server.conifer.session.sessionId !== oldId && watcher.resyncs.length > 0,
      "session renewed and resync sent",
      120_000,
    );
    await eventually(
      () => sdk.getSnapshot(path)?.meta.mzxid === changed.mzxid.toString(),
      "SDK has the value changed during the outage",
      120_000,
    );
    expect(sdk.getSnapshot(path)?.value).toEqual({ v: 2 });
    const eph = await eventually(
      async () => outsideSession.exists(instancePath),
      "instance ephemeral re-created",
      60_000,
    );
    expect(eph.ephemeralOwner).toBe(server.conifer.session.sessionId);
    // the change made during the outage is in history (external), once
    const rows = await eventually(async () => {
      const items = (await server.history.list(path)).items;
      return items.some((r) => r.mzxid === changed.mzxid.toString()) ? items : undefined;
    }, "history row for the outage change");
    expect(rows.filter((r) => r.mzxid === changed.mzxid.toString())).toMatchObject([{ source: "external" }]);

    // the recursive watch is back: a later outside change reaches the SDK
    const { stat: later } = await outsideSession.setData(path, Buffer.from('{"v":3}'), changed.version);
    await eventually(
      () => sdk.getSnapshot(path)?.meta.mzxid === later.mzxid.toString(),
      "SDK gets a change after renewal",
      60_000,
    );
    watcher.socket.disconnect();
  }, 300_000);
});
