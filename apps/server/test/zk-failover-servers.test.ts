/**
 * Several Conifer servers side by side on one 3-node ZooKeeper ensemble and one PostgreSQL:
 * server A runs in this process, server B is a separate process started like production
 * (`apps/server/src/main.ts` configured through its environment). Edits through A reach SDK
 * clients attached to B (and the other way round), and although both servers see every change
 * through their own watch, history holds each version exactly once, with its real author.
 */
import { join } from "node:path";
import { startPostgres, type PostgresFixture } from "@conifer/history/testing";
import { createZooKeeperBackend } from "@conifer/zookeeper";
import { startEnsemble, zookeeperInstalled, type Ensemble } from "@conifer/zookeeper/testing";
import type { Backend, Session } from "@conifer/coordinator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { startChildServer, stopChild, type ChildServer } from "./child-server.ts";
import { client, start, tempDir } from "./helpers.ts";
import { eventually, sdkClients } from "./sdk-fixtures.ts";

let zk: Ensemble;
let pg: PostgresFixture;
let a: RunningServer;
let b: ChildServer;
let outside: Backend;
let outsideSession: Session;
let cleanup: () => Promise<void>;
const clients = sdkClients();

describe.skipIf(!zookeeperInstalled())("two Conifer server processes on one ensemble and one PostgreSQL", () => {
  beforeAll(async () => {
    [zk, pg] = await Promise.all([startEnsemble({ size: 3, tickTimeMs: 500 }), startPostgres()]);
    const databaseUrl = await pg.createDatabase("conifer_zk_servers");
    const t = await tempDir("conifer-zk-servers-");
    cleanup = t.cleanup;
    // digest credentials and a nested chroot that does not exist yet: the first server creates it
    const backendUrl = `zookeeper://conifer:s3cret@${zk.connectString}/tenants/conifer`;
    a = await start(join(t.dir, "a"), { backendUrl, databaseUrl, sessionTimeoutMs: 10_000 });
    // server B as its own Node process through main.ts and the environment it reads
    b = await startChildServer("B", {
      CONIFER_DATA_DIR: join(t.dir, "b"),
      CONIFER_BACKEND_URL: backendUrl,
      DATABASE_URL: databaseUrl,
    });
    // another application of the company using the same identity (nodes are writable only by it)
    outside = createZooKeeperBackend({
      connectString: `zookeeper://conifer:s3cret@${zk.connectString}/tenants/conifer`,
      sessionTimeoutMs: 20_000,
    });
    outsideSession = await outside.connect();
  }, 300_000);

  afterAll(async () => {
    await clients.closeAll();
    // unset when beforeAll failed before starting them
    const started = { outside, b, a, zk, pg, cleanup } as Partial<{
      outside: Backend;
      b: ChildServer;
      a: RunningServer;
      zk: Ensemble;
      pg: PostgresFixture;
      cleanup: () => Promise<void>;
    }>;
    await started.outside?.close();
    await stopChild(started.b?.child);
    await started.a?.close();
    await started.zk?.stop();
    await started.pg?.stop();
    await started.cleanup?.();
  }, 120_000);

  it("edits through either server reach SDKs on the other; each version is recorded exactly once", async () => {
    const viaA = client(a, "alice", "console");
    const viaB = client(b, "bob", "api");
    const onA = ["/multi/a-0.json", "/multi/a-1.json"];
    const onB = ["/multi/b-0.json", "/multi/b-1.json"];
    for (const p of onA) await viaA.config.create.mutate({ path: p, content: '{"r":-1}', mode: "persistent" });
    for (const p of onB) await viaB.config.create.mutate({ path: p, content: '{"r":-1}', mode: "persistent" });
    const sdkOnB = [0, 1].map((i) => clients.make({ url: b.url, app: `on-b-${i}` }));
    const sdkOnA = clients.make({ url: a.url, app: "on-a" });
    for (const c of [...sdkOnB, sdkOnA]) for (const p of [...onA, ...onB]) expect(await c.get(p)).toEqual({ r: -1 });

    // both servers publish at the same time (different paths), several rounds
    const final = new Map<string, { mzxid: string; r: number }>();
    const rounds = async (api: typeof viaA, path: string) => {
      for (let r = 0; r < 5; r++) {
        const { stat } = await api.config.get.query({ path });
        const res = await api.config.update.mutate({
          path,
          content: JSON.stringify({ r }),
          expectedVersion: stat.version,
        });
        final.set(path, { mzxid: res.stat.mzxid, r });
      }
    };
    // and another ZooKeeper client changes a path behind both servers' backs, which both record
    const external = "/multi/external.txt";
    const outsideWrites = (async () => {
      await outsideSession.create(external, Buffer.from("x0"));
      for (let i = 1; i <= 5; i++) await outsideSession.setData(external, Buffer.from(`x${i}`));
    })();
    await Promise.all([...onA.map((p) => rounds(viaA, p)), ...onB.map((p) => rounds(viaB, p)), outsideWrites]);

    for (const c of [...sdkOnB, sdkOnA]) {
      for (const [p, f] of final) {
        await eventually(() => c.getSnapshot(p)?.meta.mzxid === f.mzxid, `SDK ${c.instanceId} has ${p}`, 120_000);
        expect(c.getSnapshot(p)?.value).toEqual({ r: f.r });
      }
    }

    // the chroot and Conifer's nodes: everything for the servers' identity, read-only for others
    const anonymous = createZooKeeperBackend({ connectString: zk.connectString, sessionTimeoutMs: 20_000 });
    try {
      const s = await anonymous.connect();
      const { acl } = await s.getACL("/tenants/conifer");
      expect(acl.map((x) => `${x.id.scheme}:${x.perms}`).sort()).toEqual(["digest:31", "world:1"]);
      expect(JSON.parse((await s.getData(`/tenants/conifer${onA[0]}`)).data.toString())).toEqual({ r: 4 });
      await expect(s.setData(`/tenants/conifer${onA[0]}`, Buffer.from("{}"))).rejects.toMatchObject({
        code: "NO_AUTH",
      });
      await expect(s.create("/tenants/conifer/intruder")).rejects.toMatchObject({ code: "NO_AUTH" });
    } finally {
      await anonymous.close();
    }

    // delete through A too: both servers see the deletion
    const gone = onA[1]!;
    const { stat: last } = await viaA.config.get.query({ path: gone });
    await viaA.config.delete.mutate({ path: gone, expectedVersion: last.version });
    await eventually(
      () => sdkOnB.every((c) => c.getSnapshot(gone)?.meta.exists === false),
      "SDKs on B see the delete",
      120_000,
    );

    // history: every version once, with the real author (A's writes are never "external" for B)
    const rowsOf = async (p: string) => (await a.history.list(p, { limit: 100 })).items;
    for (const [p, author] of [...onA.map((x) => [x, "alice"] as const), ...onB.map((x) => [x, "bob"] as const)]) {
      const rows = await rowsOf(p);
      const edits = rows.filter((r) => r.op !== "delete");
      expect(
        edits.map((r) => r.version).sort((x, y) => x - y),
        p,
      ).toEqual([0, 1, 2, 3, 4, 5]);
      expect(new Set(rows.map((r) => `${r.mzxid}/${r.op}`)).size).toBe(rows.length);
      expect(
        rows.every((r) => r.author === author),
        `${p} authors ${rows.map((r) => r.author).join(",")}`,
      ).toBe(true);
    }
    const deletes = (await rowsOf(gone)).filter((r) => r.op === "delete");
    expect(deletes).toHaveLength(1);

    // the external path: whatever versions the watches caught, each once, the last one included
    const { stat: ext } = await outsideSession.getData(external);
    const extRows = await eventually(
      async () => {
        const rows = await rowsOf(external);
        return rows.some((r) => r.mzxid === ext.mzxid.toString()) ? rows : undefined;
      },
      "external change recorded",
      60_000,
    );
    expect(new Set(extRows.map((r) => r.version)).size).toBe(extRows.length);
    expect(extRows.every((r) => r.source === "external")).toBe(true);

    // B's recorder saw A's writes while A's intents were pending and deferred them by the intent
    // grace period (15 s), and A's B's; once those retries ran (each server's history backlog is
    // empty, after both saw the last write), nothing may have been recorded twice
    await a.conifer.drain();
    await eventually(() => a.conifer.historyBacklog === 0, "A's deferred history retries ran", 120_000);
    await eventually(
      async () =>
        ((await (await fetch(`${b.url}/healthz`)).json()) as { history: { backlog: number } }).history.backlog === 0,
      "B's deferred history retries ran",
      120_000,
    );
    const again = [...final.keys(), gone, external];
    for (const p of again) {
      const rows = await rowsOf(p);
      expect(new Set(rows.map((r) => `${r.mzxid}/${r.op}`)).size, p).toBe(rows.length);
      expect(new Set(rows.filter((r) => r.op !== "delete").map((r) => r.version)).size, p).toBe(
        rows.filter((r) => r.op !== "delete").length,
      );
    }
  }, 300_000);
});
