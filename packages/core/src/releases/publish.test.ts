/**
 * Publishing as one multi on a real embedded engine and SQLite: a 20-key change where one key
 * moved publishes nothing and names it; after a rebase that keeps the approved content it
 * publishes every key at one zxid, history rows linked to the release; invalid content is refused
 * before anything is sent; release rollback (create ↔ delete inverted) and its refusal after a
 * move; a publish claim left by a lost answer or a multi never sent, settled by the reconcile.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { content, failure, openFixture, user, type Fixture } from "./test-fixture.ts";

let f: Fixture;
const admin = user("root", [["/", "admin"]]);
const alice = user("alice", [["/", "editor"]]);
const bob = user("bob", [["/", "publisher"]]);

beforeAll(async () => {
  f = await openFixture();
  await f.conifer.releases.policies.set(admin, { prefix: "/rel", mode: "review" });
});
afterAll(() => f.close());

/** a change by alice over `items`, submitted and approved by bob */
async function approved(title: string, items: { path: string; op?: "delete"; content?: string }[]) {
  const c = await f.conifer.releases.changes.create(alice, { title, items });
  await f.conifer.releases.changes.submit(alice, c.id);
  await f.conifer.releases.changes.review(bob, c.id, { verdict: "approve" });
  return c;
}

async function seed(paths: string[], text: (p: string) => string) {
  for (const path of paths) await f.other.create(path, Buffer.from(text(path)));
  await f.conifer.drain();
}

describe("publish", () => {
  it("20 keys, one moved: nothing written, that key named; rebased, all 20 land at one zxid", async () => {
    await f.other.create("/rel", Buffer.alloc(0));
    await f.other.create("/rel/many", Buffer.alloc(0));
    const paths = Array.from({ length: 20 }, (_, n) => `/rel/many/k${String(n).padStart(2, "0")}.json`);
    await seed(paths, () => '{"v":0}');
    const change = await approved(
      "bump all",
      paths.map((path) => ({ path, content: '{"v":1}' })),
    );
    await f.other.setData(paths[7] ?? "", Buffer.from('{"v":"theirs"}'));
    const err = await failure(f.conifer.releases.publish(bob, change.id));
    expect(err).toMatchObject({ code: "CONFLICT", details: { conflicts: [paths[7]], changeId: change.id } });
    for (const p of paths) expect(await content(f.other, p)).toBe(p === paths[7] ? '{"v":"theirs"}' : '{"v":0}');
    let view = await f.conifer.releases.changes.view(bob, change.id);
    expect(view.change).toMatchObject({ status: "conflicted", conflicts: [paths[7]] });
    expect(view.live.filter((l) => l.moved).map((l) => l.path)).toEqual([paths[7]]);
    expect(await f.history.pendingIntents()).toEqual([]);
    const failed = await f.history.releases.listReleases({ under: "/rel/many" });
    expect(failed.map((r) => r.status)).toEqual(["failed"]);

    // the three-way rebase keeps the approved content: approvals still count
    const rebased = await f.conifer.releases.changes.edit(
      alice,
      change.id,
      paths.map((path) => ({ path, content: '{"v":1}', baseVersion: path === paths[7] ? 1 : 0 })),
    );
    expect(rebased).toMatchObject({ status: "approved", revision: 1 });
    const release = await f.conifer.releases.publish(bob, change.id);
    expect(release.status).toBe("published");
    const zxids = new Set<string>();
    for (const p of paths) {
      const { data, stat } = await f.other.getData(p);
      expect(data.toString()).toBe('{"v":1}');
      zxids.add(stat.mzxid.toString());
    }
    expect([...zxids]).toEqual([release.zxid]);
    expect(release.items.map((i) => [i.fromVersion, i.toVersion])).toEqual(
      paths.map((p) => (p === paths[7] ? [1, 2] : [0, 1])),
    );
    for (const p of paths)
      expect((await f.history.list(p)).items[0]).toMatchObject({
        mzxid: release.zxid,
        releaseId: release.id,
        author: "alice",
      });
    view = await f.conifer.releases.changes.view(bob, change.id);
    expect(view.change).toMatchObject({ status: "published", releaseId: release.id, claimedBy: null });
  });

  it("refuses invalid content before anything is sent, naming the key", async () => {
    await seed(["/rel/bad.json"], () => "{}");
    const c = await approved("bad", [{ path: "/rel/bad.json", content: '{"a":' }]).catch((e: unknown) => e);
    // submit validates already; a draft may hold it, the submit names the key
    expect(c).toMatchObject({ code: "INVALID_CONTENT" });
    expect((c as Error).message).toMatch(/^\/rel\/bad\.json: /);
    expect(await content(f.other, "/rel/bad.json")).toBe("{}");
  });
});

describe("rebase after a conflict", () => {
  it("a rebase that changes content starts from live and needs approving again; every step is announced", async () => {
    const heard: [string, string, string][] = [];
    const unlisten = f.conifer.releases.onChange((e) => {
      if (e.paths.includes("/rel/rb2/a.txt")) heard.push([e.activity.action, e.activity.status, e.activity.author]);
    });
    try {
      await seed(["/rel/rb2", "/rel/rb2/a.txt"], () => "one\ntwo\nthree");
      const change = await approved("mine", [{ path: "/rel/rb2/a.txt", content: "ONE\ntwo\nthree" }]);
      await f.other.setData("/rel/rb2/a.txt", Buffer.from("one\ntwo\nTHREE"));
      expect(await failure(f.conifer.releases.publish(bob, change.id))).toMatchObject({
        details: { conflicts: ["/rel/rb2/a.txt"] },
      });
      const view = await f.conifer.releases.changes.view(alice, change.id);
      expect(view.live[0]).toMatchObject({ version: 1, moved: true, content: "one\ntwo\nTHREE" });
      expect(view.live[0]?.mzxid).toBe((await f.other.getData("/rel/rb2/a.txt")).stat.mzxid.toString());

      // the console's three-way merge of base, mine and live, moved onto the live version
      const rebased = await f.conifer.releases.changes.edit(alice, change.id, [
        { path: "/rel/rb2/a.txt", content: "ONE\ntwo\nTHREE", baseVersion: 1 },
      ]);
      expect(rebased).toMatchObject({ status: "in_review", revision: 2 });
      expect(rebased.items[0]).toMatchObject({ baseVersion: 1, baseContent: "one\ntwo\nTHREE" });
      expect((await f.conifer.releases.changes.view(bob, change.id)).approvals).toMatchObject({ met: false });
      expect(await failure(f.conifer.releases.publish(bob, change.id))).toMatchObject({ code: "CONFLICT" });
      await f.conifer.releases.changes.review(bob, change.id, { verdict: "approve" });
      await f.conifer.releases.publish(bob, change.id);
      expect(await content(f.other, "/rel/rb2/a.txt")).toBe("ONE\ntwo\nTHREE");
      // announced through the backend (change-signal.ts): heard once the signal came back
      await vi.waitFor(() => expect(heard.at(-1)?.[0]).toBe("publish"), { timeout: 20_000 });
    } finally {
      unlisten();
    }
    expect(heard).toEqual([
      ["create", "draft", "alice"],
      ["submit", "in_review", "alice"],
      ["approve", "approved", "alice"],
      ["conflicted", "conflicted", "alice"],
      ["edit", "in_review", "alice"],
      ["approve", "approved", "alice"],
      ["publish", "published", "alice"],
    ]);
  });
});

describe("release rollback", () => {
  it("restores every key atomically, create ↔ delete inverted; refused after a key moved", async () => {
    await seed(["/rel/rb", "/rel/rb/a.txt", "/rel/rb/gone.txt"], (p) => `old ${p}`);
    const change = await approved("three ways", [
      { path: "/rel/rb/a.txt", content: "new a" },
      { path: "/rel/rb/gone.txt", op: "delete" },
      { path: "/rel/rb/deep/new.txt", content: "born" },
    ]);
    const release = await f.conifer.releases.publish(bob, change.id);
    expect(await content(f.other, "/rel/rb/deep/new.txt")).toBe("born");
    expect(await content(f.other, "/rel/rb/gone.txt")).toBeNull();

    const back = await f.conifer.releases.rollback(bob, release.id);
    expect(back).toMatchObject({ status: "published", rollbackOf: release.id });
    expect(await content(f.other, "/rel/rb/a.txt")).toBe("old /rel/rb/a.txt");
    expect(await content(f.other, "/rel/rb/gone.txt")).toBe("old /rel/rb/gone.txt");
    expect(await content(f.other, "/rel/rb/deep/new.txt")).toBeNull();
    const zxids = new Set(
      await Promise.all(["/rel/rb/a.txt", "/rel/rb/gone.txt"].map(async (p) => (await f.other.getData(p)).stat.mzxid)),
    );
    expect([...zxids].map(String)).toEqual([back.zxid]);
    expect(back.items.map((i) => [i.path, i.op])).toEqual([
      ["/rel/rb/a.txt", "update"],
      ["/rel/rb/deep/new.txt", "delete"],
      ["/rel/rb/gone.txt", "create"],
      // the parent the release created for new.txt, empty again: removed in the same multi
      ["/rel/rb/deep", "delete"],
    ]);
    expect(await f.other.exists("/rel/rb/deep")).toBeNull();
    expect((await f.history.listAudit({})).items.map((a) => a.action)).toContain("release.rollback");

    // rolling back the rollback is refused once a key moved: nothing written
    await f.other.setData("/rel/rb/a.txt", Buffer.from("hand edit"));
    const err = await failure(f.conifer.releases.rollback(bob, back.id));
    expect(err).toMatchObject({ code: "CONFLICT", details: { conflicts: ["/rel/rb/a.txt"], releaseId: back.id } });
    expect(await content(f.other, "/rel/rb/gone.txt")).toBe("old /rel/rb/gone.txt");
    expect(await content(f.other, "/rel/rb/deep/new.txt")).toBeNull();
    // editors may not roll releases back
    expect(await failure(f.conifer.releases.rollback(alice, release.id))).toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("publish claims and the reconcile", () => {
  it("a multi that landed but whose answer was lost: the reconcile finishes the release", async () => {
    await seed(["/rel/lost", "/rel/lost/a.txt", "/rel/lost/b.txt"], () => "0");
    const c = await approved("lost answer", [
      { path: "/rel/lost/a.txt", content: "1" },
      { path: "/rel/lost/b.txt", content: "1" },
    ]);
    f.faulty.inject({ call: "multi", fault: { kind: "lose-answer" } });
    const err = await failure(f.conifer.releases.publish(bob, c.id));
    expect(err).toMatchObject({ code: "BACKEND_UNAVAILABLE", details: { outcome: "unknown" } });
    expect(await content(f.other, "/rel/lost/a.txt")).toBe("1");
    expect((await f.history.releases.getChange(c.id))?.status).toBe("publishing");
    await f.conifer.drain();
    expect(await f.conifer.releases.reconcile()).toMatchObject({ published: [c.id], approved: [] });
    const change = await f.history.releases.getChange(c.id);
    expect(change).toMatchObject({ status: "published", claimedBy: null });
    const release = await f.history.releases.getRelease(change?.releaseId ?? "");
    const { stat } = await f.other.getData("/rel/lost/a.txt");
    expect(release).toMatchObject({ status: "published", zxid: stat.mzxid.toString() });
    expect(release?.items.map((i) => i.toVersion)).toEqual([1, 1]);
    expect((await f.history.list("/rel/lost/b.txt")).items[0]).toMatchObject({
      releaseId: release?.id,
      author: "alice",
    });
  });

  it("a direct save whose answer was lost leaves its release pending; the reconcile finishes it", async () => {
    const path = "/direct-lost/a.txt";
    const { stat } = await f.conifer.config.create(alice.actor, { path, content: "0" });
    f.faulty.inject({ call: "setData", fault: { kind: "lose-answer" } });
    const err = await failure(
      f.conifer.config.update(alice.actor, { path, content: "1", expectedVersion: stat.version }),
    );
    expect(err).toMatchObject({ details: { outcome: "unknown" } });
    const [pending] = await f.history.releases.listReleases({ under: path, limit: 1 });
    expect(pending).toMatchObject({ status: "pending", changeId: null });
    await f.conifer.drain();
    const report = await f.conifer.releases.reconcile(true);
    expect(report.releases.published).toEqual([pending?.id]);
    const { stat: now } = await f.other.getData(path);
    expect(await f.history.releases.getRelease(pending?.id ?? "")).toMatchObject({
      status: "published",
      zxid: now.mzxid.toString(),
      items: [{ path, fromVersion: 0, toVersion: 1, fromContent: "0", toContent: "1" }],
    });
  });

  it("a multi never sent: the reconcile returns the change to approved, and it publishes", async () => {
    await seed(["/rel/unsent", "/rel/unsent/a.txt"], () => "0");
    const c = await approved("not sent", [{ path: "/rel/unsent/a.txt", content: "1" }]);
    const planned = f.faulty.inject({ call: "multi", fault: { kind: "fail" } });
    await failure(f.conifer.releases.publish(bob, c.id));
    await planned.hit;
    expect(await content(f.other, "/rel/unsent/a.txt")).toBe("0");
    // a fresh server on the same backend and database settles the dead one's claim at start
    const next = new (f.conifer.constructor as typeof import("../conifer.ts").Conifer)({
      backend: f.engine,
      history: f.history,
      serverId: "server-b",
    });
    await next.start();
    try {
      const change = await f.history.releases.getChange(c.id);
      expect(change).toMatchObject({ status: "approved", claimedBy: null, releaseId: null });
      expect((await f.history.releases.listReleases({ under: "/rel/unsent" })).map((r) => r.status)).toEqual([
        "failed",
      ]);
      const release = await next.releases.publish(bob, c.id);
      expect(release.status).toBe("published");
      expect(await content(f.other, "/rel/unsent/a.txt")).toBe("1");
    } finally {
      await next.stop();
    }
  });
});
