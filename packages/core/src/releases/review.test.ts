/**
 * Policies and review on a real embedded engine and SQLite: the most specific prefix wins, direct
 * saves leave a one-key release, review prefixes refuse direct saves, the author cannot approve,
 * N approvals, a content change needs approving again, and who may propose / approve.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requirementFor, resolvePolicy } from "./policies.ts";
import { failure, openFixture, user, type Fixture } from "./test-fixture.ts";

let f: Fixture;
const admin = user("root", [["/", "admin"]]);
const alice = user("alice", [["/", "editor"]]);
const bob = user("bob", [["/", "publisher"]]);
const carol = user("carol", [["/", "publisher"]]);
const viewer = user("vic", [["/", "viewer"]]);

beforeAll(async () => {
  f = await openFixture();
});
afterAll(() => f.close());

describe("publish policies", () => {
  it("resolves the most specific prefix, segment-wise; default direct on /", () => {
    const at = 0;
    const policies = [
      { prefix: "/pay", mode: "review" as const, approvalsRequired: 2, updatedBy: "r", updatedAt: at },
      { prefix: "/pay/dev", mode: "direct" as const, approvalsRequired: 0, updatedBy: "r", updatedAt: at },
    ];
    expect(resolvePolicy([], "/x")).toEqual({ prefix: "/", mode: "direct", approvalsRequired: 0 });
    expect(resolvePolicy(policies, "/pay/prod/a.json")).toMatchObject({ prefix: "/pay", approvalsRequired: 2 });
    expect(resolvePolicy(policies, "/pay/dev/a.json")).toMatchObject({ prefix: "/pay/dev", mode: "direct" });
    expect(resolvePolicy(policies, "/payments/a")).toMatchObject({ prefix: "/", mode: "direct" });
    expect(requirementFor(policies, ["/pay/dev/a", "/pay/prod/b"])).toMatchObject({ approvalsRequired: 2 });
  });

  it("direct saves publish at once with a one-key release; review prefixes refuse them", async () => {
    const path = "/direct/a.json";
    const { stat } = await f.conifer.config.create(alice.actor, { path, content: '{"a":1}' });
    await f.conifer.config.update(alice.actor, { path, content: '{"a":2}', expectedVersion: stat.version });
    const releases = await f.conifer.releases.list(alice, { under: "/direct" });
    expect(
      releases.map((r) => r.items.map((i) => [i.op, i.fromVersion, i.toVersion, i.fromContent, i.toContent])),
    ).toEqual([
      [["update", 0, 1, '{"a":1}', '{"a":2}']],
      // the create made its missing parent too: recorded with it, as the release's parent
      [
        ["create", -1, 0, "", ""],
        ["create", -1, 0, "", '{"a":1}'],
      ],
    ]);
    expect(releases[1]?.items.map((i) => [i.path, i.parent])).toEqual([
      ["/direct", true],
      [path, false],
    ]);
    expect(releases[0]).toMatchObject({ status: "published", authors: ["alice"], changeId: null });
    const rows = (await f.history.list(path)).items;
    expect(rows.map((r) => r.releaseId)).toEqual(releases.map((r) => r.id));
    expect(releases[0]?.zxid).toBe(rows[0]?.mzxid);

    expect(await failure(f.conifer.releases.policies.set(alice, { prefix: "/guarded", mode: "review" }))).toMatchObject(
      { code: "FORBIDDEN" },
    );
    await f.conifer.config.create(alice.actor, { path: "/guarded/k.txt", content: "v0" });
    await f.conifer.releases.policies.set(admin, { prefix: "/guarded", mode: "review" });
    const err = await failure(
      f.conifer.config.update(alice.actor, { path: "/guarded/k.txt", content: "v1", expectedVersion: 0 }),
    );
    expect(err).toMatchObject({ code: "FORBIDDEN", details: { reason: "review" } });
    expect((await f.other.getData("/guarded/k.txt")).data.toString()).toBe("v0");
    const audit = (await f.history.listAudit({})).items.map((a) => a.action);
    expect(audit).toContain("policy.set");
  });
});

describe("per-key rollback and restore", () => {
  it("are one-key releases too, and allowed under a review policy (publisher actions)", async () => {
    const path = "/keyrb/a.txt";
    await f.conifer.config.create(alice.actor, { path, content: "one" });
    await f.conifer.config.update(alice.actor, { path, content: "two", expectedVersion: 0 });
    await f.conifer.releases.policies.set(admin, { prefix: "/keyrb", mode: "review" });
    const first = (await f.history.list(path)).items.at(-1);
    const back = await f.conifer.history.rollback(bob.actor, { path, toId: first?.id ?? "", expectedVersion: 1 });
    expect(back.stat.version).toBe(2);
    let [latest] = await f.conifer.releases.list(bob, { under: path, limit: 1 });
    expect(latest).toMatchObject({ status: "published", publishedBy: "bob", zxid: back.stat.mzxid });
    expect(latest?.items).toMatchObject([
      { op: "update", fromVersion: 1, toVersion: 2, fromContent: "two", toContent: "one" },
    ]);
    expect(back.entry?.releaseId).toBe(latest?.id);

    await f.other.delete(path);
    await f.conifer.drain();
    const restored = await f.conifer.history.restore(bob.actor, { path });
    [latest] = await f.conifer.releases.list(bob, { under: path, limit: 1 });
    expect(latest).toMatchObject({ status: "published", zxid: restored.stat.mzxid });
    expect(latest?.items).toMatchObject([{ op: "create", fromVersion: -1, toVersion: 0, toContent: "one" }]);
  });
});

describe("review", () => {
  it("the author cannot approve; N approvals; changed content needs approving again", async () => {
    await f.conifer.config.create(alice.actor, { path: "/rev/a.json", content: "{}" });
    await f.conifer.releases.policies.set(admin, { prefix: "/rev", mode: "review", approvalsRequired: 2 });
    const me = user("alice", [["/", "publisher"]]); // a publisher herself, still the author
    const change = await f.conifer.releases.changes.create(alice, {
      title: "tune a",
      items: [{ path: "/rev/a.json", content: '{"x":1}' }],
    });
    expect(change).toMatchObject({ status: "draft", author: "alice" });
    expect(change.items[0]).toMatchObject({ op: "update", baseVersion: 0, baseContent: "{}" });
    const submitted = await f.conifer.releases.changes.submit(alice, change.id);
    expect(submitted.status).toBe("in_review");

    const own = await failure(f.conifer.releases.changes.review(me, change.id, { verdict: "approve" }));
    expect(own).toMatchObject({ code: "FORBIDDEN", details: { reason: "own-change" } });
    const editor = user("ed", [["/", "editor"]]);
    expect(await failure(f.conifer.releases.changes.review(editor, change.id, { verdict: "approve" }))).toMatchObject({
      code: "FORBIDDEN",
      details: { action: "approve" },
    });
    expect(
      await failure(
        f.conifer.releases.changes.create(viewer, { title: "x", items: [{ path: "/rev/a.json", content: "{}" }] }),
      ),
    ).toMatchObject({ code: "FORBIDDEN", details: { action: "propose" } });

    let view = await f.conifer.releases.changes.review(bob, change.id, { verdict: "approve" });
    expect(view.approvals).toMatchObject({ required: 2, approvers: ["bob"], met: false });
    expect(view.change.status).toBe("in_review");
    expect(await failure(f.conifer.releases.publish(bob, change.id))).toMatchObject({ code: "CONFLICT" });
    view = await f.conifer.releases.changes.review(carol, change.id, { verdict: "approve" });
    expect(view.approvals).toMatchObject({ approvers: ["bob", "carol"], met: true });
    expect(view.change.status).toBe("approved");

    // new content: a new revision, the approvals no longer count
    const edited = await f.conifer.releases.changes.edit(alice, change.id, [
      { path: "/rev/a.json", content: '{"x":2}' },
    ]);
    expect(edited).toMatchObject({ status: "in_review", revision: 2 });
    expect((await f.conifer.releases.changes.view(bob, change.id)).approvals).toMatchObject({
      approvers: [],
      met: false,
    });
    await f.conifer.releases.changes.review(bob, change.id, { verdict: "approve" });
    await f.conifer.releases.changes.review(carol, change.id, { verdict: "request_changes", comment: "why 2?" });
    expect((await f.conifer.releases.changes.view(bob, change.id)).change.status).toBe("in_review");
    await f.conifer.releases.changes.review(carol, change.id, { verdict: "approve" });
    await f.conifer.releases.changes.comment(alice, change.id, "thanks");
    const release = await f.conifer.releases.publish(carol, change.id);
    expect(release).toMatchObject({ status: "published", authors: ["alice"], approvers: ["bob", "carol"] });
    expect((await f.other.getData("/rev/a.json")).data.toString()).toBe('{"x":2}');
    expect((await f.conifer.releases.changes.view(bob, change.id)).change).toMatchObject({
      status: "published",
      releaseId: release.id,
    });
    const audit = (await f.history.listAudit({})).items.map((a) => a.action);
    for (const action of [
      "change.create",
      "change.submit",
      "change.approve",
      "change.edit",
      "change.request_changes",
      "change.comment",
      "change.publish",
    ])
      expect(audit).toContain(action);
  });

  it("withdrawn changes cannot be approved; only the author withdraws", async () => {
    await f.conifer.config.create(alice.actor, { path: "/rev2/a.txt", content: "a" });
    await f.conifer.releases.policies.set(admin, { prefix: "/rev2", mode: "review" });
    const c = await f.conifer.releases.changes.create(alice, {
      title: "t",
      items: [{ path: "/rev2/a.txt", content: "b" }],
    });
    await f.conifer.releases.changes.submit(alice, c.id);
    expect(await failure(f.conifer.releases.changes.withdraw(bob, c.id))).toMatchObject({ code: "FORBIDDEN" });
    expect((await f.conifer.releases.changes.list(bob, { reviewable: true })).map((x) => x.id)).toContain(c.id);
    await f.conifer.releases.changes.withdraw(alice, c.id);
    expect(await failure(f.conifer.releases.changes.review(bob, c.id, { verdict: "approve" }))).toMatchObject({
      code: "CONFLICT",
    });
    expect((await f.other.getData("/rev2/a.txt")).data.toString()).toBe("a");
  });
});

describe("edits racing a publish", () => {
  it("an edit is refused once another server claimed the change for publishing", async () => {
    await f.conifer.config.create(alice.actor, { path: "/race2/a.txt", content: "a" });
    const c = await f.conifer.releases.changes.create(alice, {
      title: "t",
      items: [{ path: "/race2/a.txt", content: "b" }],
    });
    await f.conifer.releases.changes.submit(alice, c.id); // direct: approved at once
    // the edit reads the change, then another server claims it for publishing, then the edit writes
    const read = f.history.releases.getChange.bind(f.history.releases);
    let first = true;
    f.history.releases.getChange = async (id) => {
      const r = await read(id);
      if (first) {
        first = false;
        await f.history.releases.transition(c.id, {
          from: ["approved"],
          to: "publishing",
          set: { claimedBy: "other" },
        });
      }
      return r;
    };
    try {
      const err = await failure(f.conifer.releases.changes.edit(alice, c.id, [{ path: "/race2/a.txt", content: "c" }]));
      expect(err).toMatchObject({ code: "CONFLICT", details: { changeId: c.id } });
    } finally {
      f.history.releases.getChange = read;
    }
    expect(await f.history.releases.getChange(c.id)).toMatchObject({ status: "publishing", revision: 1 });
    expect((await f.history.releases.getChange(c.id))?.items[0]?.content).toBe("b");
  });
});
