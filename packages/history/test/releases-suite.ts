/**
 * The release store (change requests, reviews, comments, policies, releases): part of the store
 * contract run by store-suite.ts on every database. Two stores on one database stand for two
 * server processes racing on the same change.
 */
import { expect, it } from "vitest";
import type { ChangeItemInput, HistoryStore } from "../src/index.ts";
import { expectHistoryError, sha256, type OpenStore } from "./suite-helpers.ts";

function item(path: string, overrides: Partial<ChangeItemInput> = {}): ChangeItemInput {
  return {
    path,
    op: "update",
    content: `new ${path}`,
    format: "text",
    baseVersion: 3,
    baseHash: sha256(`old ${path}`),
    baseContent: `old ${path}`,
    baseEncoding: "utf8",
    ...overrides,
  };
}

async function draft(store: HistoryStore, paths: string[], author = "alice") {
  return store.releases.createChange({
    title: `change of ${paths.join(", ")}`,
    message: "why",
    author,
    status: "draft",
    items: paths.map((p) => item(p)),
  });
}

export function releaseTests(openStore: OpenStore, freshUrl: () => Promise<string>, postgres: boolean): void {
  it("stores a change with its items, lists and finds it by status, author and path", async () => {
    const store = await openStore();
    const a = await draft(store, ["/svc/b.json", "/svc/a.json"]);
    expect(a).toMatchObject({
      title: "change of /svc/b.json, /svc/a.json",
      author: "alice",
      status: "draft",
      revision: 1,
      conflicts: [],
      claimedBy: null,
      releaseId: null,
      scheduledAt: null,
    });
    expect(a.items.map((i) => i.path)).toEqual(["/svc/a.json", "/svc/b.json"]);
    expect(a.items[0]).toEqual(item("/svc/a.json"));
    const b = await draft(store, ["/svc/a.json"], "bob");
    const c = await draft(store, ["/other/x"], "bob");
    expect(await store.releases.getChange(a.id)).toEqual(a);
    expect(await store.releases.getChange("999999")).toBeNull();
    await expectHistoryError(store.releases.getChange("x1"), "INVALID_ARGUMENT");
    expect((await store.releases.listChanges()).map((x) => x.id)).toEqual([c.id, b.id, a.id]);
    expect((await store.releases.listChanges({ author: "bob" })).map((x) => x.id)).toEqual([c.id, b.id]);
    expect(await store.releases.transition(b.id, { from: ["draft"], to: "withdrawn" })).toBe(true);
    expect((await store.releases.listChanges({ statuses: ["draft"] })).map((x) => x.id)).toEqual([c.id, a.id]);
    // withdrawn changes are not open
    expect((await store.releases.openChangesOn(["/svc/a.json"])).map((x) => x.id)).toEqual([a.id]);
    expect(await store.releases.openChangesOn([])).toEqual([]);
  });

  it("keeps the encoding of a base another client wrote as bytes", async () => {
    const store = await openStore();
    // one given none reads back as utf8
    const plain: ChangeItemInput = item("/bin/plain");
    delete plain.baseEncoding;
    const bin = await store.releases.createChange({
      title: "binary base",
      message: "",
      author: "alice",
      status: "draft",
      items: [item("/bin/raw", { baseContent: "/w==", baseEncoding: "base64" }), plain],
    });
    expect(bin.items.map((i) => [i.path, i.baseEncoding])).toEqual([
      ["/bin/plain", "utf8"],
      ["/bin/raw", "base64"],
    ]);
  });

  it("replaces items, starting a new revision only when asked", async () => {
    const store = await openStore();
    const a = await draft(store, ["/r/a", "/r/b"]);
    await store.releases.replaceItems(a.id, [item("/r/a", { baseVersion: 4 })], { bump: false, status: "approved" });
    let now = await store.releases.getChange(a.id);
    expect(now).toMatchObject({ revision: 1, status: "approved" });
    expect(now?.items.map((i) => [i.path, i.baseVersion])).toEqual([["/r/a", 4]]);
    await store.releases.transition(a.id, { from: ["approved"], to: "conflicted", set: { conflicts: ["/r/a"] } });
    expect((await store.releases.getChange(a.id))?.conflicts).toEqual(["/r/a"]);
    await store.releases.replaceItems(a.id, [item("/r/a", { content: "other" })], { bump: true, status: "in_review" });
    now = await store.releases.getChange(a.id);
    // a rebase clears the conflict list
    expect(now).toMatchObject({ revision: 2, status: "in_review", conflicts: [] });
    expect(now?.items[0]?.content).toBe("other");
    // conditional on the status: a change being published is not edited under the publisher
    await store.releases.transition(a.id, { from: ["in_review"], to: "publishing" });
    expect(
      await store.releases.replaceItems(a.id, [item("/r/q")], { bump: true, status: "in_review", from: ["in_review"] }),
    ).toBe(false);
    expect(await store.releases.getChange(a.id)).toMatchObject({ status: "publishing", revision: 2 });
    expect((await store.releases.getChange(a.id))?.items.map((i) => i.path)).toEqual(["/r/a"]);
    await expectHistoryError(
      store.releases.replaceItems("987654", [item("/r/z")], { bump: false, status: "draft" }),
      "NOT_FOUND",
    );
    expect((await store.releases.openChangesOn(["/r/z"])).length).toBe(0);
  });

  it("applies a transition only from the stated status, claim and schedule", async () => {
    const store = await openStore();
    const { id } = await draft(store, ["/t/a"]);
    expect(await store.releases.transition(id, { from: ["approved"], to: "publishing" })).toBe(false);
    expect(await store.releases.transition(id, { from: ["draft", "in_review"], to: "approved" })).toBe(true);
    const at = Date.now();
    expect(
      await store.releases.transition(id, {
        from: ["approved"],
        to: "publishing",
        set: { claimedBy: "server-1", claimedAt: at },
      }),
    ).toBe(true);
    expect(await store.releases.getChange(id)).toMatchObject({ status: "publishing", claimedBy: "server-1" });
    expect((await store.releases.getChange(id))?.claimedAt).toBe(at);
    // a reconcile that believes another server holds the claim changes nothing
    expect(await store.releases.transition(id, { from: ["publishing"], to: "approved", claimedBy: "server-2" })).toBe(
      false,
    );
    const release = await store.releases.createRelease({
      changeId: id,
      title: "t",
      message: "",
      authors: ["alice"],
      approvers: ["bob"],
      publishedBy: "carol",
      rollbackOf: null,
      items: [],
    });
    expect(
      await store.releases.transition(id, {
        from: ["publishing"],
        to: "published",
        claimedBy: "server-1",
        set: { claimedBy: null, claimedAt: null, releaseId: release.id },
      }),
    ).toBe(true);
    expect(await store.releases.getChange(id)).toMatchObject({
      status: "published",
      claimedBy: null,
      claimedAt: null,
      releaseId: release.id,
    });
  });

  it("fires a scheduled change once: only the first of two servers wins the due transition", async () => {
    const url = await freshUrl();
    const [one, two] = await Promise.all([openStore(url), openStore(url)]);
    const soon = await draft(one, ["/s/a"]);
    const later = await draft(one, ["/s/b"]);
    const now = Date.now();
    for (const [c, at] of [
      [soon, now - 1000],
      [later, now + 3_600_000],
    ] as const) {
      await one.releases.transition(c.id, { from: ["draft"], to: "approved" });
      await one.releases.transition(c.id, { from: ["approved"], set: { scheduledAt: at, scheduledBy: "bob" } });
    }
    expect((await two.releases.dueScheduled(now)).map((c) => c.id)).toEqual([soon.id]);
    expect((await two.releases.getChange(soon.id))?.scheduledAt).toBe(now - 1000);
    const fire = (s: HistoryStore, who: string) =>
      s.releases.transition(soon.id, {
        from: ["approved"],
        to: "publishing",
        scheduledBefore: now,
        set: { claimedBy: who, claimedAt: now },
      });
    // better-sqlite3 is synchronous: two SQLite stores in one process would block each other's
    // event loop waiting for the lock (see last-admin-suite.ts), so there they take turns
    const won = postgres
      ? await Promise.all([fire(one, "one"), fire(two, "two")])
      : [await fire(one, "one"), await fire(two, "two")];
    expect(won.filter(Boolean)).toHaveLength(1);
    // not due yet: refused
    expect(
      await one.releases.transition(later.id, { from: ["approved"], to: "publishing", scheduledBefore: now }),
    ).toBe(false);
    expect(await one.releases.dueScheduled(now)).toEqual([]);
  });

  it("keeps reviews per revision and comments in order", async () => {
    const store = await openStore();
    const { id } = await draft(store, ["/v/a"]);
    const r1 = await store.releases.addReview({
      changeId: id,
      reviewer: "bob",
      verdict: "request_changes",
      revision: 1,
      comment: "no",
    });
    expect(r1).toMatchObject({ reviewer: "bob", verdict: "request_changes", revision: 1, comment: "no" });
    await store.releases.addReview({ changeId: id, reviewer: "bob", verdict: "approve", revision: 2, comment: "" });
    expect((await store.releases.reviews(id)).map((r) => [r.reviewer, r.verdict, r.revision])).toEqual([
      ["bob", "request_changes", 1],
      ["bob", "approve", 2],
    ]);
    await store.releases.addComment({ changeId: id, author: "alice", body: "first" });
    await store.releases.addComment({ changeId: id, author: "bob", body: "second" });
    expect((await store.releases.comments(id)).map((c) => c.body)).toEqual(["first", "second"]);
    const other = await draft(store, ["/v/b"]);
    expect(await store.releases.reviews(other.id)).toEqual([]);
    expect(await store.releases.comments(other.id)).toEqual([]);
  });

  it("sets, replaces and removes publish policies per prefix", async () => {
    const store = await openStore();
    expect(await store.releases.policies()).toEqual([]);
    await store.releases.setPolicy({ prefix: "/payments", mode: "review", approvalsRequired: 2, updatedBy: "root" });
    await store.releases.setPolicy({ prefix: "/dev", mode: "direct", approvalsRequired: 0, updatedBy: "root" });
    const p = await store.releases.setPolicy({
      prefix: "/payments",
      mode: "review",
      approvalsRequired: 1,
      updatedBy: "ann",
    });
    expect(p).toMatchObject({ prefix: "/payments", approvalsRequired: 1, updatedBy: "ann" });
    expect((await store.releases.policies()).map((x) => [x.prefix, x.mode, x.approvalsRequired])).toEqual([
      ["/dev", "direct", 0],
      ["/payments", "review", 1],
    ]);
    expect(await store.releases.removePolicy("/dev")).toBe(true);
    expect(await store.releases.removePolicy("/dev")).toBe(false);
    expect((await store.releases.policies()).map((x) => x.prefix)).toEqual(["/payments"]);
  });

  it("creates a pending release, finishes it with its zxid and versions, lists it by prefix", async () => {
    const store = await openStore();
    const base = {
      changeId: null,
      title: "r",
      message: "m",
      authors: ["alice"],
      approvers: [],
      publishedBy: "alice",
      rollbackOf: null,
    };
    const r = await store.releases.createRelease({
      ...base,
      items: [
        { path: "/Pay/b", op: "update", fromVersion: 1, toVersion: null, fromContent: "1", toContent: "2" },
        { path: "/Pay/a", op: "create", fromVersion: -1, toVersion: null, fromContent: "", toContent: "x" },
      ],
    });
    expect(r).toMatchObject({ status: "pending", zxid: null, publishedAt: null, authors: ["alice"], approvers: [] });
    expect(r.items.map((i) => i.path)).toEqual(["/Pay/a", "/Pay/b"]);
    const zxid = (1n << 40n) + 7n;
    await store.releases.finishRelease(r.id, {
      status: "published",
      zxid,
      items: r.items.map((i) => ({ ...i, toVersion: i.op === "create" ? 0 : 2 })),
    });
    const done = await store.releases.getRelease(r.id);
    expect(done).toMatchObject({ status: "published", zxid: zxid.toString() });
    expect(done?.publishedAt).toEqual(expect.any(Number));
    expect(done?.items.map((i) => [i.path, i.fromVersion, i.toVersion])).toEqual([
      ["/Pay/a", -1, 0],
      ["/Pay/b", 1, 2],
    ]);
    const back = await store.releases.createRelease({
      ...base,
      rollbackOf: r.id,
      items: [{ path: "/pay_x/c", op: "delete", fromVersion: 0, toVersion: null, fromContent: "c", toContent: "" }],
    });
    await store.releases.finishRelease(back.id, { status: "failed" });
    expect((await store.releases.getRelease(back.id))?.rollbackOf).toBe(r.id);
    expect((await store.releases.listReleases()).map((x) => x.id)).toEqual([back.id, r.id]);
    expect((await store.releases.listReleases({ status: "published" })).map((x) => x.id)).toEqual([r.id]);
    expect((await store.releases.listReleases({ under: "/Pay" })).map((x) => x.id)).toEqual([r.id]);
    expect((await store.releases.listReleases({ under: "/Pay/a" })).map((x) => x.id)).toEqual([r.id]);
    expect((await store.releases.listReleases({ limit: 1 })).map((x) => x.id)).toEqual([back.id]);
    // segment-wise and case-sensitive, "_" no wildcard: as every other prefix filter of the store
    expect(await store.releases.listReleases({ under: "/pay" })).toEqual([]);
    expect(await store.releases.listReleases({ under: "/Pa" })).toEqual([]);
    expect(await store.releases.listReleases({ under: "/pay/x" })).toEqual([]);
    expect(await store.releases.getRelease("424242")).toBeNull();
    await expectHistoryError(store.releases.finishRelease("424242", { status: "failed" }), "NOT_FOUND");
  });

  it("finishes a pending release once when two servers settle it at the same time (ifPending)", async () => {
    const url = await freshUrl();
    const [one, two] = await Promise.all([openStore(url), openStore(url)]);
    const r = await one.releases.createRelease({
      changeId: null,
      title: "r",
      message: "m",
      authors: ["alice"],
      approvers: [],
      publishedBy: "alice",
      rollbackOf: null,
      items: ["/k/a", "/k/b", "/k/c"].map((path) => ({
        path,
        op: "update" as const,
        fromVersion: 1,
        toVersion: null,
        fromContent: "1",
        toContent: "2",
      })),
    });
    const finish = (s: HistoryStore) =>
      s.releases.finishRelease(r.id, {
        status: "published",
        zxid: 42n,
        items: r.items.map((i) => ({ ...i, toVersion: 2 })),
        ifPending: true,
      });
    // as in the scheduled-change race above: SQLite stores in one process take turns
    const won = postgres ? await Promise.all([finish(one), finish(two)]) : [await finish(one), await finish(two)];
    expect(won.filter(Boolean)).toHaveLength(1);
    const done = await two.releases.getRelease(r.id);
    expect(done?.items.map((i) => [i.path, i.toVersion])).toEqual([
      ["/k/a", 2],
      ["/k/b", 2],
      ["/k/c", 2],
    ]);
    // no longer pending: refused, not NOT_FOUND; unconditional finishes still apply
    expect(await one.releases.finishRelease(r.id, { status: "failed", ifPending: true })).toBe(false);
    expect((await one.releases.getRelease(r.id))?.status).toBe("published");
    await expectHistoryError(one.releases.finishRelease("424242", { status: "failed", ifPending: true }), "NOT_FOUND");
  });
}
