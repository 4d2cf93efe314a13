/**
 * The reconcile of publish claims (issue 14, item 7) on a real embedded engine and SQLite, for
 * what a server killed mid-publish leaves: a multi that landed is recorded once with its publish
 * audited, even when two servers settle it; a multi never sent returns the change to approved
 * and closes the release's write intents, so the next publish's rows name the next release; a
 * scheduled publish stopped after its multi (the test-only pause hook, in process) fires once;
 * a settlement done by a peer at its start is heard by the other server's listeners.
 */
import { CoordinatorError } from "@conifer/coordinator";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Conifer } from "../conifer.ts";
import { clearPause, pauseProcessAt } from "../testing/index.ts";
import { content, failure, openFixture, user, type Fixture } from "./test-fixture.ts";

let f: Fixture;
const admin = user("root", [["/", "admin"]]);
const alice = user("alice", [["/", "editor"]]);
const bob = user("bob", [["/", "publisher"]]);

beforeAll(async () => {
  f = await openFixture();
  await f.conifer.releases.policies.set(admin, { prefix: "/rec", mode: "review" });
});
afterAll(() => f.close());

/** keys seeded at "0", a change by alice setting them to "1", approved by bob */
async function approvedChange(title: string, paths: string[]) {
  for (const path of paths) await f.other.create(path, Buffer.from("0"));
  await f.conifer.drain();
  const c = await f.conifer.releases.changes.create(alice, {
    title,
    items: paths.map((path) => ({ path, content: "1" })),
  });
  await f.conifer.releases.changes.submit(alice, c.id);
  await f.conifer.releases.changes.review(bob, c.id, { verdict: "approve" });
  return c;
}

async function publishAudits(changeId: string) {
  const { items } = await f.history.listAudit({ limit: 500 });
  return items.filter((a) => a.action === "change.publish" && a.detail?.startsWith(`change ${changeId} `));
}

/** a second server process on the same engine and database (a restarted or a peer server) */
async function otherServer(serverId: string): Promise<Conifer> {
  const next = new Conifer({ backend: f.engine, history: f.history, serverId, scheduleTickMs: 0 });
  await next.start();
  return next;
}

describe("reconcile of a publish claim", () => {
  it("a multi that landed: settled once by two servers, the publish audited once", async () => {
    await f.other.create("/rec", Buffer.alloc(0));
    const paths = ["/rec/a.txt", "/rec/b.txt", "/rec/c.txt"];
    const c = await approvedChange("landed", paths);
    // started before: its own start has nothing to settle
    const peer = await otherServer("server-peer");
    try {
      f.faulty.inject({ call: "multi", fault: { kind: "lose-answer" } });
      const err = await failure(f.conifer.releases.publish(bob, c.id));
      expect(err).toMatchObject({ details: { outcome: "unknown" } });
      expect(await Promise.all(paths.map((p) => content(f.other, p)))).toEqual(["1", "1", "1"]);
      await Promise.all([f.conifer.drain(), peer.drain()]);
      expect(await publishAudits(c.id)).toEqual([]);
      // both settle it at the same time
      const reports = await Promise.all([f.conifer.releases.reconcile(), peer.releases.reconcile()]);
      expect(reports.flatMap((r) => r.approved)).toEqual([]);
      const change = await f.history.releases.getChange(c.id);
      expect(change).toMatchObject({ status: "published", claimedBy: null });
      const release = await f.history.releases.getRelease(change?.releaseId ?? "");
      const { stat } = await f.other.getData("/rec/a.txt");
      expect(release).toMatchObject({ status: "published", zxid: stat.mzxid.toString(), publishedBy: "bob" });
      expect(release?.items.map((i) => [i.path, i.fromVersion, i.toVersion])).toEqual(paths.map((p) => [p, 0, 1]));
      const audits = await publishAudits(c.id);
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({ actor: "bob", source: "system" });
      expect(audits[0]?.detail).toContain(`release ${release?.id} at zxid ${stat.mzxid.toString()}`);
      for (const path of paths) {
        const rows = (await f.history.list(path)).items;
        expect(rows.map((r) => [r.version, r.releaseId ?? null])).toEqual([
          [1, release?.id],
          [0, null],
        ]);
      }
    } finally {
      await peer.stop();
    }
  });

  it("a multi never sent: approved again, the release's intents closed, the next publish's rows name the next release", async () => {
    await f.other.create("/rec/unsent", Buffer.alloc(0));
    const paths = ["/rec/unsent/a.txt", "/rec/unsent/b.txt"];
    const c = await approvedChange("unsent", paths);
    // a connection lost before the request went out: nothing applied, the outcome unknown to us
    f.faulty.inject({ call: "multi", fault: { kind: "fail", error: new CoordinatorError("CONNECTION_LOSS") } });
    expect(await failure(f.conifer.releases.publish(bob, c.id))).toMatchObject({ details: { outcome: "unknown" } });
    const first = (await f.history.releases.getChange(c.id))?.releaseId ?? "";
    const ofFirst = async () => (await f.history.pendingIntents()).filter((i) => i.releaseId === first);
    expect(await ofFirst()).toHaveLength(2);

    expect(await f.conifer.releases.reconcile()).toMatchObject({ approved: [c.id], published: [] });
    expect(await f.history.releases.getChange(c.id)).toMatchObject({ status: "approved", releaseId: null });
    expect((await f.history.releases.getRelease(first))?.status).toBe("failed");
    expect(await ofFirst()).toEqual([]);
    expect(await publishAudits(c.id)).toEqual([]);

    const release = await f.conifer.releases.publish(bob, c.id);
    expect(release).toMatchObject({ status: "published" });
    expect(release.id).not.toBe(first);
    await f.conifer.drain();
    for (const path of paths) {
      expect(await content(f.other, path)).toBe("1");
      expect((await f.history.list(path)).items[0]).toMatchObject({ version: 1, releaseId: release.id });
    }
    expect(await publishAudits(c.id)).toHaveLength(1);
  });
});

describe("a settlement is heard on every server", () => {
  it("a claim settled at a peer's start reaches this server's listeners, each action once", async () => {
    await f.other.create("/rec/heard", Buffer.alloc(0));
    const heard: [string, string][] = [];
    const unlisten = f.conifer.releases.onChange((e) => {
      if (e.paths.includes("/rec/heard/a.txt")) heard.push([e.activity.action, e.activity.status]);
    });
    let peer: Conifer | undefined;
    try {
      const c = await approvedChange("heard", ["/rec/heard/a.txt"]);
      f.faulty.inject({ call: "multi", fault: { kind: "fail", error: new CoordinatorError("CONNECTION_LOSS") } });
      expect(await failure(f.conifer.releases.publish(bob, c.id))).toMatchObject({ details: { outcome: "unknown" } });
      // a restarted server (a private backend: any other claim is a previous run) settles it at start
      peer = await otherServer("server-restarted");
      expect(await f.history.releases.getChange(c.id)).toMatchObject({ status: "approved", claimedBy: null });
      await vi.waitFor(
        () =>
          expect(heard).toEqual([
            ["create", "draft"],
            ["submit", "in_review"],
            ["approve", "approved"],
            ["unclaimed", "approved"],
          ]),
        { timeout: 20_000, interval: 20 },
      );
    } finally {
      unlisten();
      await peer?.stop();
    }
  });
});

describe("reconcile of a scheduled publish stopped after its multi", () => {
  let g: Fixture;
  beforeAll(async () => {
    g = await openFixture("sched-a");
    await g.conifer.releases.policies.set(admin, { prefix: "/rs", mode: "review" });
    // the scheduler acts for bob as stored
    const { id } = await g.history.accounts.createUser({
      username: "bob",
      passwordHash: "x",
      mustChangePassword: false,
    });
    await g.history.accounts.setBinding(id, "/", "publisher");
  });
  afterAll(async () => {
    clearPause();
    await g.close();
  });

  it("fires once: settled as published by the next server, audited as published and fired", async () => {
    await g.other.create("/rs", Buffer.alloc(0));
    await g.other.create("/rs/a.txt", Buffer.from("old"));
    await g.conifer.drain();
    const c = await g.conifer.releases.changes.create(alice, {
      title: "at a time",
      items: [{ path: "/rs/a.txt", content: "new" }],
    });
    await g.conifer.releases.changes.submit(alice, c.id);
    await g.conifer.releases.changes.review(bob, c.id, { verdict: "approve" });
    const at = Date.now() + 500;
    await g.conifer.releases.schedule(bob, c.id, at);
    const lines: string[] = [];
    pauseProcessAt("publish:after-multi", (l) => lines.push(l));
    await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(at), { timeout: 30_000, interval: 20 });
    // this server's scheduler fires it and stops for good after the multi
    void g.conifer.releases.tick();
    await vi.waitFor(() => expect(lines).toEqual(["conifer-test-paused publish:after-multi\n"]), {
      timeout: 30_000,
      interval: 20,
    });
    clearPause();
    expect(await content(g.other, "/rs/a.txt")).toBe("new");

    const next = new Conifer({ backend: g.engine, history: g.history, serverId: "sched-b", scheduleTickMs: 0 });
    await next.start();
    try {
      expect(await g.history.releases.getChange(c.id)).toMatchObject({ status: "published", claimedBy: null });
      expect(await next.releases.tick()).toEqual({ fired: [], failed: [] });
      const releases = (await g.history.releases.listReleases({ under: "/rs" })).filter((r) => r.changeId === c.id);
      expect(releases.map((r) => r.status)).toEqual(["published"]);
      const { items } = await g.history.listAudit({ limit: 200 });
      const mine = items.filter((a) => a.detail?.startsWith(`change ${c.id} `)).map((a) => [a.action, a.actor]);
      expect(mine.filter(([a]) => a === "change.publish" || a === "change.schedule_fired").sort()).toEqual([
        ["change.publish", "bob"],
        ["change.schedule_fired", "bob"],
      ]);
      await next.drain();
      // recorded after the stop from the release's intent: still the scheduler's write
      expect((await g.history.list("/rs/a.txt")).items[0]).toMatchObject({
        version: 1,
        releaseId: releases[0]?.id,
        source: "schedule",
      });
    } finally {
      await next.stop();
    }
  });
});
