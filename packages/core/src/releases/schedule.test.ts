/**
 * Scheduled publish on a real embedded engine and SQLite, with an injected clock and explicit
 * ticks: who may schedule, firing once at the time (also with two servers ticking together),
 * cancel, an edit dropping the schedule, the scheduler's rights re-checked at fire time, a key
 * moved meanwhile, and a claim left by a dead server fired after the reconcile.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Conifer } from "../conifer.ts";
import { content, failure, openFixture, user, type Fixture } from "./test-fixture.ts";

let f: Fixture;
let clock = Date.UTC(2030, 0, 1);
const MIN = 60_000;
const admin = user("root", [["/", "admin"]]);
const alice = user("alice", [["/", "editor"]]);
const bob = user("bob", [["/", "publisher"]]);
let bobId = 0;

beforeAll(async () => {
  f = await openFixture("server-a", { now: () => clock });
  await f.conifer.releases.policies.set(admin, { prefix: "/sch", mode: "review" });
  // the scheduler acts for the user as stored: bob must exist with his role
  bobId = (await f.history.accounts.createUser({ username: "bob", passwordHash: "x", mustChangePassword: false })).id;
  await f.history.accounts.setBinding(bobId, "/", "publisher");
  await f.other.create("/sch", Buffer.alloc(0));
});
afterAll(() => f.close());

let n = 0;
/** an approved change by alice setting a fresh key to "new" */
async function approved(): Promise<{ id: string; path: string }> {
  const path = `/sch/k${n++}.txt`;
  await f.other.create(path, Buffer.from("old"));
  await f.conifer.drain();
  const c = await f.conifer.releases.changes.create(alice, { title: `t ${path}`, items: [{ path, content: "new" }] });
  await f.conifer.releases.changes.submit(alice, c.id);
  await f.conifer.releases.changes.review(bob, c.id, { verdict: "approve" });
  return { id: c.id, path };
}

async function actions(changeId: string): Promise<string[]> {
  const { items } = await f.history.listAudit({ limit: 200 });
  return items
    .filter((a) => a.detail?.startsWith(`change ${changeId} `))
    .map((a) => a.action)
    .reverse();
}

describe("scheduled publish", () => {
  it("needs publish rights, an approved change and a future time", async () => {
    const { id } = await approved();
    expect(await failure(f.conifer.releases.schedule(alice, id, clock + MIN))).toMatchObject({ code: "FORBIDDEN" });
    expect(await failure(f.conifer.releases.schedule(bob, id, clock - 1))).toMatchObject({ code: "INVALID_INPUT" });
    const draft = await f.conifer.releases.changes.create(alice, {
      title: "draft",
      items: [{ path: "/sch/draft.txt", content: "x" }],
    });
    expect(await failure(f.conifer.releases.schedule(bob, draft.id, clock + MIN))).toMatchObject({ code: "CONFLICT" });
  });

  it("fires once at its time, as the user who scheduled it; audited", async () => {
    const { id, path } = await approved();
    const at = clock + 10 * MIN;
    expect(await f.conifer.releases.schedule(bob, id, at)).toMatchObject({ scheduledAt: at, scheduledBy: "bob" });
    expect(await f.conifer.releases.tick()).toEqual({ fired: [], failed: [] });
    expect(await content(f.other, path)).toBe("old");
    clock = at;
    const first = await f.conifer.releases.tick();
    expect(first.fired.map((x) => x.changeId)).toEqual([id]);
    expect(await content(f.other, path)).toBe("new");
    expect(await f.conifer.releases.tick()).toEqual({ fired: [], failed: [] });
    const view = await f.conifer.releases.changes.view(bob, id);
    expect(view.change).toMatchObject({ status: "published", releaseId: first.fired[0]?.releaseId });
    // the scheduler wrote it, not a client of the API: its rows and intent say so
    expect((await f.history.list(path)).items[0]).toMatchObject({
      releaseId: first.fired[0]?.releaseId,
      source: "schedule",
      author: "alice",
    });
    expect(await actions(id)).toEqual([
      "change.create",
      "change.submit",
      "change.approve",
      "change.schedule",
      "change.publish",
      "change.schedule_fired",
    ]);
  });

  it("fires once when two servers tick at the same moment", async () => {
    const shared = { history: f.history, scheduleTickMs: 0, now: () => clock, sharedBackend: true };
    const a = new Conifer({ ...shared, backend: f.engine, serverId: "tick-a" });
    const b = new Conifer({ ...shared, backend: f.engine, serverId: "tick-b" });
    await a.start();
    await b.start();
    try {
      const changes = [await approved(), await approved(), await approved()];
      for (const c of changes) await f.conifer.releases.schedule(bob, c.id, clock + MIN);
      clock += MIN;
      const [ra, rb] = await Promise.all([a.releases.tick(), b.releases.tick()]);
      const fired = [...ra.fired, ...rb.fired].map((x) => x.changeId).sort();
      expect(fired).toEqual(changes.map((c) => c.id).sort());
      expect([...ra.failed, ...rb.failed]).toEqual([]);
      for (const c of changes) {
        expect(await content(f.other, c.path)).toBe("new");
        const releases = await f.history.releases.listReleases({ under: c.path });
        expect(releases.map((r) => r.status)).toEqual(["published"]);
      }
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it("a cancelled schedule does not fire; cancelling twice is refused", async () => {
    const { id, path } = await approved();
    await f.conifer.releases.schedule(bob, id, clock + MIN);
    expect(await failure(f.conifer.releases.unschedule(alice, id))).toMatchObject({ code: "FORBIDDEN" });
    expect(await f.conifer.releases.unschedule(bob, id)).toMatchObject({ scheduledAt: null, status: "approved" });
    expect(await failure(f.conifer.releases.unschedule(bob, id))).toMatchObject({ code: "CONFLICT" });
    clock += 2 * MIN;
    expect(await f.conifer.releases.tick()).toEqual({ fired: [], failed: [] });
    expect(await content(f.other, path)).toBe("old");
    expect((await actions(id)).slice(-2)).toEqual(["change.schedule", "change.unschedule"]);
  });

  it("a change whose content is edited after scheduling does not fire, even approved again", async () => {
    const { id, path } = await approved();
    await f.conifer.releases.schedule(bob, id, clock + MIN);
    const edited = await f.conifer.releases.changes.edit(alice, id, [{ path, content: "newer" }]);
    expect(edited).toMatchObject({ status: "in_review", scheduledAt: null });
    await f.conifer.releases.changes.review(bob, id, { verdict: "approve" });
    clock += 2 * MIN;
    expect(await f.conifer.releases.tick()).toEqual({ fired: [], failed: [] });
    expect(await content(f.other, path)).toBe("old");
  });

  it("a reviewer requesting changes drops the schedule; approved again, it does not fire", async () => {
    const { id, path } = await approved();
    await f.conifer.releases.schedule(bob, id, clock + MIN);
    const view = await f.conifer.releases.changes.review(bob, id, { verdict: "request_changes", comment: "wait" });
    expect(view.change).toMatchObject({ status: "in_review", scheduledAt: null, scheduledBy: null });
    expect((await actions(id)).slice(-2)).toEqual(["change.request_changes", "change.unschedule"]);
    await f.conifer.releases.changes.review(bob, id, { verdict: "approve" });
    clock += 2 * MIN;
    expect(await f.conifer.releases.tick()).toEqual({ fired: [], failed: [] });
    expect(await content(f.other, path)).toBe("old");
  });

  it("withdrawing a scheduled change drops the schedule, audited", async () => {
    const { id, path } = await approved();
    await f.conifer.releases.schedule(bob, id, clock + MIN);
    const withdrawn = await f.conifer.releases.changes.withdraw(alice, id);
    expect(withdrawn).toMatchObject({ status: "withdrawn", scheduledAt: null, scheduledBy: null });
    expect((await actions(id)).slice(-2)).toEqual(["change.withdraw", "change.unschedule"]);
    clock += 2 * MIN;
    expect(await f.conifer.releases.tick()).toEqual({ fired: [], failed: [] });
    expect(await content(f.other, path)).toBe("old");
  });

  it("checks the scheduler's rights again when it fires: revoked = failed, audited, dropped", async () => {
    const { id, path } = await approved();
    await f.conifer.releases.schedule(bob, id, clock + MIN);
    await f.history.accounts.setBinding(bobId, "/", "editor");
    try {
      clock += MIN;
      const r = await f.conifer.releases.tick();
      expect(r.failed.map((x) => x.changeId)).toEqual([id]);
      expect(r.failed[0]?.reason).toMatch(/^FORBIDDEN: /);
      expect(await content(f.other, path)).toBe("old");
      expect(await f.history.releases.getChange(id)).toMatchObject({ status: "approved", scheduledAt: null });
      expect((await actions(id)).at(-1)).toBe("change.schedule_failed");
    } finally {
      await f.history.accounts.setBinding(bobId, "/", "publisher");
    }
  });

  it("a key moved meanwhile: nothing written, failed with reason conflict", async () => {
    const { id, path } = await approved();
    await f.conifer.releases.schedule(bob, id, clock + MIN);
    await f.other.setData(path, Buffer.from("theirs"));
    clock += MIN;
    const r = await f.conifer.releases.tick();
    expect(r.failed.map((x) => x.changeId)).toEqual([id]);
    expect(r.failed[0]?.reason).toMatch(/^conflict: .*k\d+\.txt/);
    expect(await content(f.other, path)).toBe("theirs");
    expect(await f.history.releases.getChange(id)).toMatchObject({ status: "conflicted", scheduledAt: null });
    const audit = await actions(id);
    expect(audit.slice(-2)).toEqual(["change.conflicted", "change.schedule_failed"]);
  });

  it("a claim left by a dead server is settled and fires on the next tick (not lost)", async () => {
    const { id, path } = await approved();
    await f.conifer.releases.schedule(bob, id, clock + MIN);
    clock += MIN;
    // a previous run claimed it and died before sending the multi
    expect(
      await f.history.releases.transition(id, {
        from: ["approved"],
        to: "publishing",
        scheduledBefore: clock,
        set: { claimedBy: "dead-server", claimedAt: Date.now() - 3_600_000 },
      }),
    ).toBe(true);
    const r = await f.conifer.releases.tick();
    expect(r.fired.map((x) => x.changeId)).toEqual([id]);
    expect(await content(f.other, path)).toBe("new");
    expect((await f.history.list(path)).items[0]).toMatchObject({ source: "schedule" });
    expect(await f.conifer.releases.tick()).toEqual({ fired: [], failed: [] });
  });
});
