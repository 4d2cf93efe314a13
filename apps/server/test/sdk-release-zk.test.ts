/**
 * Issue 14 item 6 on a real 3-node ZooKeeper ensemble: two Conifer servers share the ensemble and
 * one PostgreSQL, SDKs attached to both watch the 20 keys of one multi, and every `watchMany`
 * callback on either server sees them all-old or all-new (ZooKeeper delivers the 20 events one
 * by one; the servers regroup them by the multi's zxid). Instances on both report the release.
 */
import { join } from "node:path";
import { createZooKeeperBackend } from "@conifer/zookeeper";
import { startEnsemble, zookeeperInstalled, type Ensemble } from "@conifer/zookeeper/testing";
import { startPostgres, type PostgresFixture } from "@conifer/history/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { start, tempDir } from "./helpers.ts";
import { apiClient, eventually, sdkClients } from "./sdk-fixtures.ts";
import { releaseScenario } from "./sdk-release-fixtures.ts";

let zk: Ensemble | undefined;
let pg: PostgresFixture | undefined;
const servers: RunningServer[] = [];
let cleanup: (() => Promise<void>) | undefined;
const clients = sdkClients();

describe.skipIf(!zookeeperInstalled())("SDK sees a release atomically (ZooKeeper ensemble, two servers)", () => {
  beforeAll(async () => {
    [zk, pg] = await Promise.all([startEnsemble({ size: 3, tickTimeMs: 500 }), startPostgres()]);
    const databaseUrl = await pg.createDatabase("conifer_sdk_release");
    const tmp = await tempDir("conifer-sdk-release-zk-");
    cleanup = tmp.cleanup;
    const backendUrl = `zookeeper://${zk.connectString}/release-test`;
    // one after the other: the first creates the chroot and the database schema
    for (const name of ["a", "b"])
      servers.push(await start(join(tmp.dir, name), { backendUrl, databaseUrl, sessionTimeoutMs: 10_000 }));
  }, 300_000);

  afterEach(async () => {
    await clients.closeAll();
    expect(clients.warnings.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    for (const s of servers) await s.close();
    await zk?.stop();
    await pg?.stop();
    await cleanup?.();
  }, 120_000);

  it("a multi of 20 keys reaches every watchMany callback on both servers all-old or all-new", async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const api = apiClient(a.url);
    const outside = createZooKeeperBackend({ connectString: `zookeeper://${zk!.connectString}/release-test` });
    const session = await outside.connect();
    try {
      const { zxid, sdks } = await releaseScenario({
        api,
        urls: [a.url, b.url],
        clients,
        session,
        prefix: "/release/zk",
        perServer: 3,
      });
      for (const url of [a.url, b.url]) {
        const list = apiClient(url);
        await eventually(async () => {
          const { instances } = await list.instances.list.query({});
          const mine = instances.filter((i) => sdks.some((s) => s.instanceId === i.instanceId));
          return mine.length > 0 && mine.every((i) => i.release === zxid.toString());
        }, `instances on ${url} report the release they applied`);
      }
    } finally {
      await session.close();
      await outside.close();
    }
  }, 240_000);
});
