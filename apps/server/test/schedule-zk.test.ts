/**
 * Issue 14 item 9 on a real 3-node ZooKeeper ensemble: two Conifer servers share it and one
 * PostgreSQL, both run the scheduler (a fast tick). A scheduled publish fires once across the two
 * servers, and once more across a restart: scheduled on one server, that server stopped, the
 * other and the restarted one both ticking. Each change ends with exactly one release and one
 * `change.schedule_fired` audit row.
 */
import { join } from "node:path";
import { startEnsemble, zookeeperInstalled, type Ensemble } from "@conifer/zookeeper/testing";
import { startPostgres, type PostgresFixture } from "@conifer/history/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer, ServerConfig } from "../src/index.ts";
import { ADMIN_USER, ensureUser } from "./auth.ts";
import { client, start, tempDir, waitFor } from "./helpers.ts";

let zk: Ensemble | undefined;
let pg: PostgresFixture | undefined;
const servers: (RunningServer | undefined)[] = [];
let cleanup: (() => Promise<void>) | undefined;
let dir = "";
let extra: Partial<ServerConfig> = {};

describe.skipIf(!zookeeperInstalled())("scheduled publish (ZooKeeper ensemble, two servers)", () => {
  beforeAll(async () => {
    [zk, pg] = await Promise.all([startEnsemble({ size: 3, tickTimeMs: 500 }), startPostgres()]);
    const databaseUrl = await pg.createDatabase("conifer_schedule");
    const tmp = await tempDir("conifer-schedule-zk-");
    cleanup = tmp.cleanup;
    dir = tmp.dir;
    const backendUrl = `zookeeper://${zk.connectString}/schedule-test`;
    extra = { backendUrl, databaseUrl, sessionTimeoutMs: 10_000, scheduleTickMs: 100 };
    // one after the other: the first creates the chroot and the database schema
    for (const name of ["a", "b"]) servers.push(await start(join(dir, name), extra));
  }, 300_000);

  afterAll(async () => {
    for (const s of servers) await s?.close();
    await zk?.stop();
    await pg?.stop();
    await cleanup?.();
  }, 120_000);

  it("fires once across two servers and a restart", async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    await ensureUser(a.url, "sched-pub", [{ pathPrefix: "/", role: "publisher" }]);
    const admin = client(a, ADMIN_USER);
    for (const k of ["one", "two"]) await admin.config.create.mutate({ path: `/sched/${k}.txt`, content: "old" });
    await admin.releases.setPolicy.mutate({ prefix: "/sched", mode: "review" });

    /** a change approved by sched-pub and scheduled `inMs` ahead through `url` */
    const scheduled = async (url: string, path: string, inMs: number) => {
      const author = client({ url }, ADMIN_USER);
      const publisher = client({ url }, "sched-pub");
      const c = await author.changes.create.mutate({ title: `scheduled ${path}`, items: [{ path, content: "new" }] });
      await author.changes.submit.mutate({ id: c.id });
      await publisher.changes.review.mutate({ id: c.id, verdict: "approve" });
      await publisher.changes.schedule.mutate({ id: c.id, at: Date.now() + inMs });
      return c.id;
    };
    const firedOnce = async (id: string, path: string) => {
      const view = await waitFor(async () => {
        const v = await admin.changes.get.query({ id });
        return v.change.status === "published" ? v : null;
      }, `change ${id} published by the scheduler`);
      expect((await admin.config.get.query({ path })).data).toBe("new");
      // the key's create was a direct save: a one-key release without a change
      const releases = (await admin.releases.list.query({ under: path })).filter((r) => r.changeId !== null);
      expect(releases.map((r) => [r.changeId, r.status])).toEqual([[id, "published"]]);
      expect(view.change.releaseId).toBe(releases[0]?.id);
      const audit = await admin.audit.list.query({ action: "change.schedule_fired", limit: 100 });
      expect(audit.items.filter((e) => e.detail?.startsWith(`change ${id} `))).toHaveLength(1);
    };

    // both servers tick: one of them claims it
    const first = await scheduled(b.url, "/sched/one.txt", 1_500);
    await firedOnce(first, "/sched/one.txt");

    // scheduled on a, a stops before it is due; b and the restarted a both tick
    const second = await scheduled(a.url, "/sched/two.txt", 4_000);
    await a.close();
    servers[0] = undefined;
    servers[0] = await start(join(dir, "a"), extra);
    await firedOnce(second, "/sched/two.txt");
  }, 240_000);
});
