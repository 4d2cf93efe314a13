/**
 * Write intents, attribution of observed backend changes, and the audit trail: part of the store
 * contract run by store-suite.ts on every database.
 */
import { expect, it } from "vitest";
import type { HistoryStore } from "../src/index.ts";
import { entry, expectHistoryError, sha256, type OpenStore } from "./suite-helpers.ts";

export function intentAndAuditTests(openStore: OpenStore): void {
  it("runs write intents through their lifecycle", async () => {
    const store = await openStore();
    const a = await store.beginIntent({
      path: "/svc/a.json",
      op: "update",
      expectedVersion: 3,
      content: "new",
      author: "carol",
      message: "bump",
      source: "console",
    });
    expect(a).toMatchObject({
      path: "/svc/a.json",
      op: "update",
      expectedVersion: 3,
      contentHash: sha256("new"),
      author: "carol",
      message: "bump",
      source: "console",
      completedAt: null,
      outcome: null,
      mzxid: null,
    });
    const b = await store.beginIntent({
      path: "/svc/b.json",
      op: "create",
      contentHash: sha256("b"),
      author: "dave",
      source: "api",
    });
    expect((await store.pendingIntents()).map((i) => i.id)).toEqual([a.id, b.id]);
    expect((await store.pendingIntents({ path: "/svc/b.json" })).map((i) => i.id)).toEqual([b.id]);
    expect(await store.pendingIntents({ createdBefore: a.createdAt - 60_000 })).toEqual([]);

    expect(await store.completeIntent(a.id, { mzxid: "42" })).toBe(true);
    expect(await store.completeIntent(a.id)).toBe(false);
    expect(await store.completeIntent(b.id, { outcome: "failed" })).toBe(true);
    expect(await store.pendingIntents()).toEqual([]);
    expect(await store.getIntent(a.id)).toMatchObject({ outcome: "applied", mzxid: "42" });
    expect((await store.getIntent(a.id))?.completedAt).toEqual(expect.any(Number));
    expect(await store.getIntent(b.id)).toMatchObject({ outcome: "failed", mzxid: null });
    await expectHistoryError(store.completeIntent("987654"), "NOT_FOUND");
    await expectHistoryError(
      store.beginIntent({ path: "/svc/c", op: "create", author: "x", source: "api" }),
      "INVALID_ARGUMENT",
    );
  });

  it("attributes observed backend changes to a matching pending intent, else to external", async () => {
    const store = await openStore();
    const intent = await store.beginIntent({
      path: "/r/a",
      op: "update",
      content: "mine",
      author: "erin",
      message: "tune",
      source: "console",
    });
    const other = await store.beginIntent({
      path: "/r/a",
      op: "update",
      content: "something else",
      author: "frank",
      source: "api",
    });

    const observed = await store.recordObserved({
      path: "/r/a",
      version: 2,
      mzxid: "100",
      czxid: "90",
      op: "update",
      content: "mine",
      at: 1_700_000_000_000,
    });
    expect(observed.created).toBe(true);
    expect(observed.intentId).toBe(intent.id);
    expect(observed.entry).toMatchObject({
      author: "erin",
      message: "tune",
      source: "console",
      mzxid: "100",
      at: 1_700_000_000_000,
    });
    expect((await store.getIntent(intent.id))?.outcome).toBe("applied");
    expect((await store.getIntent(intent.id))?.mzxid).toBe("100");
    expect((await store.pendingIntents()).map((i) => i.id)).toEqual([other.id]);

    // Seen again (the writer or another server): no new row, nothing re-attributed.
    const again = await store.recordObserved({
      path: "/r/a",
      version: 2,
      mzxid: "100",
      czxid: "90",
      op: "update",
      content: "mine",
    });
    expect(again).toEqual({ entry: observed.entry, created: false, intentId: null });
    // The writer's own record of the same change returns the attributed row.
    expect(
      await store.record({
        path: "/r/a",
        version: 2,
        mzxid: "100",
        czxid: "90",
        op: "update",
        content: "mine",
        author: "erin",
        source: "console",
      }),
    ).toEqual(observed.entry);

    const external = await store.recordObserved({
      path: "/r/a",
      version: 3,
      mzxid: "101",
      czxid: "90",
      op: "update",
      content: "from zkCli",
    });
    expect(external).toMatchObject({
      created: true,
      intentId: null,
      entry: { author: "external", source: "external", message: "" },
    });

    // A delete intent matches whatever the content hash of the recorded delete.
    const del = await store.beginIntent({
      path: "/r/a",
      op: "delete",
      contentHash: sha256(""),
      author: "gina",
      source: "api",
    });
    const deleted = await store.recordObserved({
      path: "/r/a",
      version: 3,
      mzxid: "101",
      czxid: "90",
      op: "delete",
      content: "from zkCli",
    });
    expect(deleted).toMatchObject({ created: true, intentId: del.id, entry: { op: "delete", author: "gina" } });

    const racing = await Promise.all(
      Array.from({ length: 4 }, () =>
        store.recordObserved({ path: "/r/b", version: 0, mzxid: "200", czxid: "200", op: "create", content: "x" }),
      ),
    );
    expect(racing.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(racing.map((r) => r.entry.id)).size).toBe(1);
  });

  it("appends audit rows and filters them by path prefix, actor, action and time", async () => {
    const store = await openStore();
    const t0 = 1_700_000_000_000;
    const rows = [
      { actor: "alice", action: "config.update", path: "/pay/prod/limits.json", at: t0 },
      { actor: "bob", action: "config.create", path: "/pay/dev/x", at: t0 + 1000 },
      { actor: "alice", action: "config.delete", path: "/payroll/y", at: t0 + 2000 },
      { actor: "carol", action: "config.update", path: "/PAY/upper", at: t0 + 3000 },
      { actor: "alice", action: "cluster.info", at: t0 + 4000 },
      { actor: "dave", action: "config.update", path: "/a_b/c", at: t0 + 5000 },
      { actor: "dave", action: "config.update", path: "/aXb/c", at: t0 + 6000 },
      { actor: "erin", action: "config.update", path: "/pay", at: t0 + 7000 },
    ];
    for (const r of rows) await store.audit({ ...r, source: "console", detail: { note: r.action }, ip: "127.0.0.1" });
    await store.audit({ actor: "system", action: "reconcile", source: "system", detail: "plain text" });

    const all = await store.listAudit({ limit: 100 });
    expect(all.items).toHaveLength(9);
    expect(all.items[0]).toMatchObject({ actor: "system", detail: "plain text" });
    expect(all.items[0]).not.toHaveProperty("path");
    expect(all.items.at(-1)).toMatchObject({
      actor: "alice",
      path: "/pay/prod/limits.json",
      detail: '{"note":"config.update"}',
      ip: "127.0.0.1",
      source: "console",
      at: t0,
    });

    const paths = async (q: Parameters<HistoryStore["listAudit"]>[0]) =>
      (await store.listAudit(q)).items.map((e) => e.path ?? "-");
    expect(await paths({ pathPrefix: "/pay" })).toEqual(["/pay", "/pay/dev/x", "/pay/prod/limits.json"]);
    expect(await paths({ pathPrefix: "/pay/" })).toEqual(["/pay", "/pay/dev/x", "/pay/prod/limits.json"]);
    expect(await paths({ pathPrefix: "/PAY" })).toEqual(["/PAY/upper"]);
    expect(await paths({ pathPrefix: "/a_b" })).toEqual(["/a_b/c"]);
    expect(await paths({ pathPrefix: "/" })).toHaveLength(7);
    expect(await paths({ actor: "alice" })).toEqual(["-", "/payroll/y", "/pay/prod/limits.json"]);
    expect(await paths({ action: "config.update", actor: "dave" })).toEqual(["/aXb/c", "/a_b/c"]);
    expect(await paths({ since: t0 + 1000, until: t0 + 3000 })).toEqual(["/payroll/y", "/pay/dev/x"]);
    expect(await paths({ since: new Date(t0 + 6000), pathPrefix: "/", actor: "dave" })).toEqual(["/aXb/c"]);

    // Pages of a prefix query stay full and ordered although the database over-selects.
    await store.audit({ actor: "z", action: "a", path: "/pay/1", source: "api" });
    await store.audit({ actor: "z", action: "a", path: "/PAY/2", source: "api" });
    await store.audit({ actor: "z", action: "a", path: "/PAY/3", source: "api" });
    await store.audit({ actor: "z", action: "a", path: "/pay/4", source: "api" });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await store.listAudit({ pathPrefix: "/pay", limit: 2, cursor });
      expect(page.items.length === 2 || page.nextCursor === null).toBe(true);
      seen.push(...page.items.map((e) => e.path ?? "-"));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["/pay/4", "/pay/1", "/pay", "/pay/dev/x", "/pay/prod/limits.json"]);
  });

  it("filters audit rows by an action family and lists the actions and actors it holds", async () => {
    const store = await openStore();
    for (const [actor, action] of [
      ["alice", "config.update"],
      ["bob", "config.create"],
      ["token:ci", "config.update"],
      ["alice", "login"],
      ["bob", "configx.other"],
    ] as const)
      await store.audit({ actor, action, path: "/p", source: "api" });
    const actions = async (action: string) => (await store.listAudit({ action })).items.map((e) => e.action);
    expect(await actions("config.*")).toEqual(["config.update", "config.create", "config.update"]);
    expect(await actions("config.update")).toEqual(["config.update", "config.update"]);
    expect(await actions("config")).toEqual([]);
    expect(await store.auditFacets()).toEqual({
      actions: ["config.create", "config.update", "configx.other", "login"],
      actors: ["alice", "bob", "token:ci"],
    });
  });

  it("finds the history rows of (path, version) pairs for audit links, deletes left out", async () => {
    const store = await openStore();
    const a = await store.record(entry("/a", 10, { version: 0, op: "create" }));
    const b = await store.record(entry("/a", 11, { version: 1 }));
    await store.record(entry("/a", 12, { version: 1, op: "delete" }));
    const again = await store.record(entry("/a", 13, { version: 0, op: "create" }));
    const other = await store.record(entry("/b", 14, { version: 1 }));
    expect(await store.versionRows([])).toEqual([]);
    const rows = await store.versionRows([
      { path: "/a", version: 0 },
      { path: "/a", version: 1 },
      { path: "/b", version: 1 },
      { path: "/c", version: 0 },
    ]);
    expect(rows.map((r) => [r.id, r.path, r.version])).toEqual([
      [a.id, "/a", 0],
      [b.id, "/a", 1],
      [again.id, "/a", 0],
      [other.id, "/b", 1],
    ]);
    expect(typeof rows[0]?.at).toBe("number");
    await expectHistoryError(
      store.versionRows(Array.from({ length: 501 }, (_, i) => ({ path: "/a", version: i }))),
      "INVALID_ARGUMENT",
    );
  });
}
