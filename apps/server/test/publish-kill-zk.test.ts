/**
 * Issue 14 item 7 on a real 3-node ZooKeeper ensemble and one PostgreSQL: server A is a child
 * process (main.ts) started with CONIFER_TEST_PAUSE_AT, so it stops for good at one publish step
 * and prints a marker; the test SIGKILLs it there (no timing involved) while server B, in this
 * process, stays up. A is restarted at once without the pause, so both servers settle the dead
 * claim at the same time (after the claim grace). Killed before the multi: nothing is live and
 * the change is approved and publishable again. Killed after it: every key is live at one zxid
 * and the release ends recorded once, the change published, the rows linked, the publish audited
 * once.
 */
import { join } from "node:path";
import { startPostgres, type PostgresFixture } from "@conifer/history/testing";
import { startEnsemble, zookeeperInstalled, type Ensemble } from "@conifer/zookeeper/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { ADMIN_USER, ensureUser } from "./auth.ts";
import { startChildServer, stopChild, type ChildServer } from "./child-server.ts";
import { client, start, tempDir } from "./helpers.ts";

const PUBLISHER = "kill-pub";
/** the claim grace (15 s) plus the deferred history retries: generous, hangs only */
const SETTLED_MS = 120_000;

let zk: Ensemble | undefined;
let pg: PostgresFixture | undefined;
let b: RunningServer | undefined;
const children: ChildServer[] = [];
let cleanup: (() => Promise<void>) | undefined;
let childEnv: Record<string, string> = {};

/** Server A as its own process through main.ts and the environment it reads. */
function startChild(name: string, env: Record<string, string> = {}): Promise<ChildServer> {
  return startChildServer(name, { ...childEnv, ...env }, (s) => children.push(s));
}

/** Three keys under `prefix` (JSON, YAML, text), then a review policy on it. */
async function seed(prefix: string): Promise<{ paths: string[]; before: string[]; after: string[] }> {
  const admin = client(b!, ADMIN_USER);
  const paths = [`${prefix}/x.json`, `${prefix}/y.yaml`, `${prefix}/z.txt`];
  const before = ['{"n":1}', "n: 1\n", "one"];
  const after = ['{"n":2}', "n: 2\n", "two"];
  for (const [i, path] of paths.entries()) await admin.config.create.mutate({ path, content: before[i] ?? "" });
  await admin.releases.setPolicy.mutate({ prefix, mode: "review" });
  return { paths, before, after };
}

/**
 * Starts A paused at `point`; the admin drafts the 3-key change on A, the publisher approves it on
 * B and publishes it on A (or schedules it, and A's scheduler fires it: B only ticks when the
 * test says), which stops at the point and is SIGKILLed there.
 */
async function killedAt(point: string, prefix: string, how: "publish" | "schedule" = "publish") {
  // the previous case's servers stop: none but the paused A may fire a schedule
  for (const s of children) await stopChild(s.child);
  const keys = await seed(prefix);
  const a = await startChild(`a-${point}`, { CONIFER_TEST_PAUSE_AT: point });
  const author = client(a, ADMIN_USER);
  const c = await author.changes.create.mutate({
    title: `killed at ${point}`,
    items: keys.paths.map((path, i) => ({ path, content: keys.after[i] ?? "" })),
  });
  await author.changes.submit.mutate({ id: c.id });
  await client(b!, PUBLISHER).changes.review.mutate({ id: c.id, verdict: "approve" });
  // a publish on A is never answered: A stops inside it
  const publishing =
    how === "publish"
      ? client(a, PUBLISHER)
          .changes.publish.mutate({ id: c.id })
          .then(
            () => "answered",
            () => "cut off",
          )
      : null;
  if (how === "schedule") await client(b!, PUBLISHER).changes.schedule.mutate({ id: c.id, at: Date.now() + 2_000 });
  await vi.waitFor(
    () => {
      if (!a.output.join("").includes(`conifer-test-paused ${point}\n`))
        throw new Error(`A has not reached ${point}:\n${a.output.join("")}`);
    },
    { timeout: 60_000, interval: 50 },
  );
  await stopChild(a.child, "SIGKILL");
  if (publishing) expect(await publishing).toBe("cut off");
  return { ...keys, changeId: c.id };
}

/** Waits for `check`, B reconciling (a tick) before each look; the restarted A ticks by itself. */
async function settled(check: () => Promise<void>): Promise<void> {
  await vi.waitFor(
    async () => {
      await b!.conifer.releases.tick();
      await check();
    },
    { timeout: SETTLED_MS, interval: 200 },
  );
}

async function live(url: string, paths: string[]) {
  return Promise.all(paths.map((path) => client({ url }, ADMIN_USER).config.get.query({ path })));
}

async function changeOnB(id: string) {
  return (await client(b!, ADMIN_USER).changes.get.query({ id })).change;
}

async function audits(id: string, action = "change.publish") {
  const audit = await client(b!, ADMIN_USER).audit.list.query({ action, limit: 200 });
  return audit.items.filter((e) => e.detail?.startsWith(`change ${id} `));
}

async function releasesOf(id: string, under: string) {
  return (await client(b!, ADMIN_USER).releases.list.query({ under })).filter((r) => r.changeId === id);
}

/** Both servers' history backlogs are empty (deferred rows of the dead server's intents retried). */
async function historySettled(restarted: ChildServer): Promise<void> {
  await vi.waitFor(
    async () => {
      await b!.conifer.drain();
      const health = (await (await fetch(`${restarted.url}/healthz`)).json()) as { history: { backlog: number } };
      if (b!.conifer.historyBacklog !== 0 || health.history.backlog !== 0) throw new Error("history backlog");
    },
    { timeout: SETTLED_MS, interval: 200 },
  );
}

/** Each key's rows: every version once, the newest one of `releaseId`. */
async function expectRows(paths: string[], releaseId: string, mzxid: string): Promise<void> {
  for (const path of paths) {
    const rows = (await b!.history.list(path, { limit: 50 })).items;
    expect(
      rows.map((r) => [r.version, r.releaseId]),
      path,
    ).toEqual([
      [1, releaseId],
      [0, expect.any(String)],
    ]);
    expect(rows[0]).toMatchObject({ mzxid, author: ADMIN_USER });
  }
}

describe.skipIf(!zookeeperInstalled())("SIGKILL at the publish step (ZooKeeper ensemble, two servers)", () => {
  beforeAll(async () => {
    [zk, pg] = await Promise.all([startEnsemble({ size: 3, tickTimeMs: 500 }), startPostgres()]);
    const databaseUrl = await pg.createDatabase("conifer_publish_kill");
    const tmp = await tempDir("conifer-publish-kill-");
    cleanup = tmp.cleanup;
    const backendUrl = `zookeeper://${zk.connectString}/publish-kill`;
    // B first: it creates the chroot, the database schema and the admin; it ticks when told
    b = await start(join(tmp.dir, "b"), { backendUrl, databaseUrl, sessionTimeoutMs: 10_000, scheduleTickMs: 0 });
    childEnv = {
      CONIFER_DATA_DIR: join(tmp.dir, "a"),
      CONIFER_BACKEND_URL: backendUrl,
      DATABASE_URL: databaseUrl,
      CONIFER_SCHEDULE_TICK_MS: "200",
    };
    await ensureUser(b.url, PUBLISHER, [{ pathPrefix: "/", role: "publisher" }]);
  }, 300_000);

  afterAll(async () => {
    for (const s of children) await stopChild(s.child, "SIGKILL");
    await b?.close();
    await zk?.stop();
    await pg?.stop();
    await cleanup?.();
  }, 120_000);

  it("killed before the multi: nothing is live, the change is approved again and publishes on B", async () => {
    const { paths, before, after, changeId } = await killedAt("publish:before-multi", "/kill-before");
    const restarted = await startChild("a-restarted-1");
    for (const url of [b!.url, restarted.url]) {
      const nodes = await live(url, paths);
      expect(nodes.map((n) => [n.data, n.stat.version])).toEqual(before.map((d) => [d, 0]));
    }
    // the dead claim, settled by B's or A's reconcile once older than the grace
    await settled(async () => {
      const change = await changeOnB(changeId);
      if (change.status !== "approved") throw new Error(`change is ${change.status}`);
    });
    expect(await changeOnB(changeId)).toMatchObject({ claimedBy: null, releaseId: null });
    expect((await releasesOf(changeId, "/kill-before")).map((r) => r.status)).toEqual(["failed"]);

    const release = await client(b!, PUBLISHER).changes.publish.mutate({ id: changeId });
    expect(release.status).toBe("published");
    for (const url of [b!.url, restarted.url]) {
      const nodes = await live(url, paths);
      expect(nodes.map((n) => n.data)).toEqual(after);
      expect([...new Set(nodes.map((n) => n.stat.mzxid))]).toEqual([release.zxid]);
    }
    const releases = await releasesOf(changeId, "/kill-before");
    expect(releases.map((r) => [r.id, r.status])).toEqual([
      [release.id, "published"],
      [expect.any(String), "failed"],
    ]);
    expect(await changeOnB(changeId)).toMatchObject({ status: "published", releaseId: release.id });
    await historySettled(restarted);
    await expectRows(paths, release.id, release.zxid ?? "");
    expect(await audits(changeId)).toHaveLength(1);
  }, 300_000);

  it("killed after the multi: all live at one zxid, the release recorded once, rows linked, the publish audited once", async () => {
    const { paths, after, changeId } = await killedAt("publish:after-multi", "/kill-after");
    const restarted = await startChild("a-restarted-2");
    const nodes = await live(b!.url, paths);
    expect(nodes.map((n) => [n.data, n.stat.version])).toEqual(after.map((d) => [d, 1]));
    const zxids = [...new Set(nodes.map((n) => n.stat.mzxid))];
    expect(zxids).toHaveLength(1);
    const zxid = zxids[0] ?? "";

    await settled(async () => {
      const change = await changeOnB(changeId);
      if (change.status !== "published") throw new Error(`change is ${change.status}`);
    });
    const change = await changeOnB(changeId);
    expect(change).toMatchObject({ claimedBy: null });
    const releases = await releasesOf(changeId, "/kill-after");
    expect(releases).toHaveLength(1);
    const release = releases[0]!;
    expect(release).toMatchObject({ id: change.releaseId, status: "published", zxid, publishedBy: PUBLISHER });
    expect(release.items.map((i) => [i.path, i.fromVersion, i.toVersion])).toEqual(
      [...paths].sort().map((p) => [p, 0, 1]),
    );
    await historySettled(restarted);
    await expectRows(paths, release.id, zxid);
    // both servers went on reconciling (every tick): still one record of everything
    await settled(async () => {
      if ((await audits(changeId)).length === 0) throw new Error("publish not audited yet");
    });
    const rows = await audits(changeId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: PUBLISHER, source: "system" });
    expect(await releasesOf(changeId, "/kill-after")).toHaveLength(1);
    expect((await client(b!, ADMIN_USER).releases.get.query({ id: release.id })).items).toHaveLength(3);
  }, 300_000);

  it("a scheduled publish killed after its multi fires once: one release, audited as published and fired once", async () => {
    const { paths, after, changeId } = await killedAt("publish:after-multi", "/kill-sched", "schedule");
    const restarted = await startChild("a-restarted-3");
    await settled(async () => {
      const change = await changeOnB(changeId);
      if (change.status !== "published") throw new Error(`change is ${change.status}`);
    });
    const [release, ...more] = await releasesOf(changeId, "/kill-sched");
    expect(more).toEqual([]);
    expect(release).toMatchObject({ status: "published", publishedBy: PUBLISHER });
    for (const url of [b!.url, restarted.url]) {
      const nodes = await live(url, paths);
      expect(nodes.map((n) => n.data)).toEqual(after);
      expect([...new Set(nodes.map((n) => n.stat.mzxid))]).toEqual([release?.zxid]);
    }
    await historySettled(restarted);
    await expectRows(paths, release?.id ?? "", release?.zxid ?? "");
    // more rounds of both schedulers: nothing fires again
    await settled(async () => {
      if ((await audits(changeId, "change.schedule_fired")).length === 0) throw new Error("fire not audited yet");
    });
    expect(await b!.conifer.releases.tick()).toEqual({ fired: [], failed: [] });
    expect(await audits(changeId, "change.schedule_fired")).toHaveLength(1);
    expect(await audits(changeId)).toHaveLength(1);
    expect(await releasesOf(changeId, "/kill-sched")).toHaveLength(1);
  }, 300_000);
});
