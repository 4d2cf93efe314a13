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
import { client, failure, start, tempDir, waitFor } from "./helpers.ts";

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
    // b stays up throughout (a restarts on another port)
    const admin = client(b, ADMIN_USER);
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
      // the scheduler's write, whichever server fired it: not an API client's
      expect((await admin.history.list.query({ path })).items[0]).toMatchObject({
        source: "schedule",
        releaseId: releases[0]?.id,
      });
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

  it("rolls a 3-key release back on the ensemble: all three restored at one zxid, both releases recorded", async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const onA = client(a, ADMIN_USER);
    const onB = client(b, "sched-pub");
    const paths = ["/rb/x.json", "/rb/y.yaml", "/rb/z.txt"];
    const before = ['{"n":1}', "n: 1\n", "one"];
    for (const [i, path] of paths.entries()) await onA.config.create.mutate({ path, content: before[i] ?? "" });
    await onA.releases.setPolicy.mutate({ prefix: "/rb", mode: "review" });
    // drafted on a, approved and published on b, rolled back on a
    const c = await onA.changes.create.mutate({
      title: "three at once",
      items: paths.map((path, i) => ({ path, content: ['{"n":2}', "n: 2\n", "two"][i] ?? "" })),
    });
    await onA.changes.submit.mutate({ id: c.id });
    await onB.changes.review.mutate({ id: c.id, verdict: "approve" });
    const release = await onB.changes.publish.mutate({ id: c.id });
    const back = await onA.releases.rollback.mutate({ id: release.id, message: "bad" });
    expect(back).toMatchObject({ status: "published", rollbackOf: release.id });
    for (const url of [a.url, b.url]) {
      const live = await Promise.all(paths.map((path) => client({ url }, ADMIN_USER).config.get.query({ path })));
      expect(live.map((n) => n.data)).toEqual(before);
      expect([...new Set(live.map((n) => n.stat.mzxid))]).toEqual([back.zxid]);
    }
    expect(BigInt(back.zxid ?? 0) > BigInt(release.zxid ?? 0)).toBe(true);
    const listed = await onB.releases.list.query({ under: "/rb" });
    expect(listed.slice(0, 2).map((r) => [r.id, r.status, r.rollbackOf])).toEqual([
      [back.id, "published", release.id],
      [release.id, "published", null],
    ]);
    expect(back.items.map((i) => [i.path, i.fromVersion, i.toVersion])).toEqual(paths.map((p) => [p, 1, 2]));
    for (const path of paths)
      expect((await onB.history.list.query({ path })).items[0]).toMatchObject({ releaseId: back.id, mzxid: back.zxid });
  }, 240_000);

  it("on the ensemble: a recursive delete rolls back as a whole; a create's rollback removes the parents it made", async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const onA = client(a, ADMIN_USER);
    const onB = client(b, "sched-pub");
    const tree = { "/zt/app": "top", "/zt/app/db.json": '{"pool":5}', "/zt/app/db.json/note.txt": "n" };
    for (const [path, content] of Object.entries(tree)) await onA.config.create.mutate({ path, content });
    const top = await onA.config.get.query({ path: "/zt/app" });
    await onA.config.delete.mutate({ path: "/zt/app", expectedVersion: top.stat.version, recursive: true });
    const [gone] = await onB.releases.list.query({ under: "/zt/app" });
    expect(gone?.items.map((i) => [i.path, i.op])).toEqual(Object.keys(tree).map((p) => [p, "delete"]));
    const back = await onB.releases.rollback.mutate({ id: gone?.id ?? "" });
    const live = await Promise.all(Object.keys(tree).map((path) => onA.config.get.query({ path })));
    expect(live.map((n) => n.data)).toEqual(Object.values(tree));
    expect([...new Set(live.map((n) => n.stat.mzxid))]).toEqual([back.zxid]);

    await onA.config.create.mutate({ path: "/zp/q/k.txt", content: "k" });
    const [made] = await onB.releases.list.query({ under: "/zp/q/k.txt" });
    expect(made?.items.filter((i) => i.parent).map((i) => i.path)).toEqual(["/zp", "/zp/q"]);
    const undone = await onB.releases.rollback.mutate({ id: made?.id ?? "" });
    expect(
      undone.items
        .filter((i) => i.parent)
        .map((i) => [i.path, i.op])
        .sort(),
    ).toEqual([
      ["/zp", "delete"],
      ["/zp/q", "delete"],
    ]);
    expect(await failure(onA.config.get.query({ path: "/zp" }))).toMatchObject({ code: "NOT_FOUND" });
  }, 240_000);
});
