/**
 * Publishing through tRPC against a real server (engine + SQLite in a temp dir): history rows,
 * conflicts, content validation, size and path limits, delete, diff, rollback, audit, search.
 */
import { describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { client, failure, type Client } from "./helpers.ts";
import { useServer } from "./server-fixture.ts";

let server: RunningServer;
let api: Client;

useServer({
  ready: (s) => {
    server = s;
    api = client(server, "alice", "console");
  },
});

describe("publishing", () => {
  it("create then update records history rows with author, message, source, version and mzxid", async () => {
    const created = await api.config.create.mutate({
      path: "/payments/prod/limits.json",
      content: '{"max": 10}\n',
      message: "initial limits",
    });
    expect(created.path).toBe("/payments/prod/limits.json");
    expect(created.stat.version).toBe(0);

    const updated = await api.config.update.mutate({
      path: "/payments/prod/limits.json",
      content: '{"max": 20}\n',
      expectedVersion: 0,
      message: "raise",
    });
    expect(updated.stat.version).toBe(1);

    const node = await api.config.get.query({ path: "/payments/prod/limits.json" });
    expect(node).toMatchObject({ data: '{"max": 20}\n', encoding: "utf8", format: "json", kind: "persistent" });
    expect(node.stat.mzxid).toBe(updated.stat.mzxid);

    const { items } = await api.history.list.query({ path: "/payments/prod/limits.json" });
    expect(items.map((i) => [i.op, i.version, i.author, i.message, i.source])).toEqual([
      ["update", 1, "alice", "raise", "console"],
      ["create", 0, "alice", "initial limits", "console"],
    ]);
    expect(items[0]!.mzxid).toBe(updated.stat.mzxid);
    expect(items[1]!.mzxid).toBe(created.stat.mzxid);
    const full = await api.history.get.query({ id: items[0]!.id });
    expect(full.content).toBe('{"max": 20}\n');

    // missing parents were created (empty) and recorded as ours, not as external changes
    const parent = await api.history.list.query({ path: "/payments/prod" });
    expect(parent.items.map((i) => [i.op, i.author, i.source])).toEqual([["create", "alice", "console"]]);
  });

  it("a stale expectedVersion is a CONFLICT carrying the current version and content; nothing is written", async () => {
    await api.config.create.mutate({ path: "/c/app.yaml", content: "a: 1\n" });
    await api.config.update.mutate({ path: "/c/app.yaml", content: "a: 2\n", expectedVersion: 0 });
    const before = await api.history.list.query({ path: "/c/app.yaml" });

    const err = await failure(api.config.update.mutate({ path: "/c/app.yaml", content: "a: 3\n", expectedVersion: 0 }));
    expect(err.code).toBe("CONFLICT");
    expect(err.httpStatus).toBe(409);
    expect(err.details).toMatchObject({ currentVersion: 1, currentContent: "a: 2\n" });
    expect((err.details.currentStat as { version: number }).version).toBe(1);

    expect((await api.config.get.query({ path: "/c/app.yaml" })).data).toBe("a: 2\n");
    expect((await api.history.list.query({ path: "/c/app.yaml" })).items).toEqual(before.items);
  });

  it("invalid JSON / YAML is refused with line and column; nothing is written", async () => {
    await api.config.create.mutate({ path: "/v/conf.json", content: "{}" });
    const err = await failure(
      api.config.update.mutate({ path: "/v/conf.json", content: '{\n  "a": 1,\n  "b": }\n', expectedVersion: 0 }),
    );
    expect(err.code).toBe("INVALID_CONTENT");
    expect(err.message).toMatch(/^Invalid JSON at line 3, column \d+/);
    expect(err.details).toMatchObject({ format: "json", line: 3 });
    expect((await api.config.get.query({ path: "/v/conf.json" })).stat.version).toBe(0);

    const y = await failure(api.config.create.mutate({ path: "/v/conf.yaml", content: "a: 1\nb: [1, 2\n" }));
    expect(y.code).toBe("INVALID_CONTENT");
    expect(y.message).toMatch(/^Invalid YAML at line \d+, column \d+/);
    expect(typeof y.details.line).toBe("number");
    expect((await failure(api.config.get.query({ path: "/v/conf.yaml" }))).code).toBe("NOT_FOUND");

    const nul = await failure(api.config.create.mutate({ path: "/v/nul.txt", content: "ok\nab\u0000c" }));
    expect(nul).toMatchObject({ code: "INVALID_CONTENT", details: { line: 2, column: 3 } });

    const v = await api.config.validate.query({ path: "/x.json", content: '{"a":' });
    expect(v.ok).toBe(false);
    expect(await api.config.validate.query({ path: "/x.json", content: '{"a":1}' })).toEqual({ ok: true });
  });

  it("oversize content is TOO_LARGE with size and limit", async () => {
    const limit = server.backend.maxDataBytes;
    const err = await failure(api.config.create.mutate({ path: "/big.txt", content: "x".repeat(limit + 1) }));
    expect(err.code).toBe("TOO_LARGE");
    expect(err.details).toEqual({ size: limit + 1, limit });
    expect((await failure(api.config.get.query({ path: "/big.txt" }))).code).toBe("NOT_FOUND");
  });

  it("invalid paths are refused with a reason", async () => {
    for (const path of [
      "relative",
      "/a/../b",
      "/a//b",
      "/trailing/",
      "/nul\u0000x",
      "/ctl\u0007x",
      "/bad\uD800x",
      "",
    ]) {
      const err = await failure(api.config.create.mutate({ path, content: "" }));
      expect(err.code, path).toBe("INVALID_PATH");
      expect(typeof err.details.reason, path).toBe("string");
    }
    expect((await failure(api.config.get.query({ path: "/x/.." }))).code).toBe("INVALID_PATH");
  });

  it("system subtrees cannot be written", async () => {
    expect((await failure(api.config.create.mutate({ path: "/conifer/x", content: "" }))).code).toBe("FORBIDDEN");
    expect((await failure(api.config.delete.mutate({ path: "/zookeeper", expectedVersion: -1 }))).code).toBe(
      "FORBIDDEN",
    );
  });

  it("delete: NOT_EMPTY unless recursive; recursive records a delete per node", async () => {
    await api.config.create.mutate({ path: "/d/a/one.txt", content: "1" });
    await api.config.create.mutate({ path: "/d/a/two.txt", content: "2" });
    expect((await failure(api.config.delete.mutate({ path: "/d/a", expectedVersion: 0 }))).code).toBe("NOT_EMPTY");
    const res = await api.config.delete.mutate({
      path: "/d/a",
      expectedVersion: 0,
      recursive: true,
      message: "cleanup",
    });
    expect(res.deleted.sort()).toEqual(["/d/a", "/d/a/one.txt", "/d/a/two.txt"]);
    const h = await api.history.list.query({ path: "/d/a/one.txt" });
    expect(h.items[0]).toMatchObject({ op: "delete", author: "alice", message: "cleanup", source: "console" });
    expect((await failure(api.config.get.query({ path: "/d/a" }))).code).toBe("NOT_FOUND");
  });

  it("diff between versions and against live; rollback writes the old content as a new version", async () => {
    await api.config.create.mutate({ path: "/r/app.properties", content: "a=1\nb=2\n" });
    await api.config.update.mutate({ path: "/r/app.properties", content: "a=1\nb=3\n", expectedVersion: 0 });
    const [v1, v0] = (await api.history.list.query({ path: "/r/app.properties" })).items;
    const d = await api.history.diff.query({ fromId: v0!.id, toId: v1!.id });
    expect(d.unified).toContain("-b=2");
    expect(d.unified).toContain("+b=3");
    expect(d.hunks.length).toBeGreaterThan(0);
    const live = await api.history.diff.query({ path: "/r/app.properties", fromId: v0!.id, toId: "live" });
    expect(live.to.id).toBe("live");
    expect(live.unified).toContain("+b=3");

    const stale = await failure(
      api.history.rollback.mutate({ path: "/r/app.properties", toId: v0!.id, expectedVersion: 0 }),
    );
    expect(stale.code).toBe("CONFLICT");
    const rb = await api.history.rollback.mutate({ path: "/r/app.properties", toId: v0!.id, expectedVersion: 1 });
    expect(rb.stat.version).toBe(2);
    expect((await api.config.get.query({ path: "/r/app.properties" })).data).toBe("a=1\nb=2\n");
    const latest = (await api.history.list.query({ path: "/r/app.properties", limit: 1 })).items[0]!;
    expect(latest).toMatchObject({ version: 2, source: "rollback", author: "alice", op: "update" });
    expect(latest.message).toMatch(/Rollback to version 0/);
    // the answer carries the new version's history row, so a console can show it at once
    expect(rb.entry).toEqual(latest);
  });

  it("history pages with a cursor, newest first", async () => {
    await api.config.create.mutate({ path: "/p/n.txt", content: "0" });
    for (let v = 0; v < 4; v++)
      await api.config.update.mutate({ path: "/p/n.txt", content: String(v + 1), expectedVersion: v });
    const first = await api.history.list.query({ path: "/p/n.txt", limit: 2 });
    expect(first.items.map((i) => i.version)).toEqual([4, 3]);
    const second = await api.history.list.query({ path: "/p/n.txt", limit: 2, cursor: first.nextCursor });
    expect(second.items.map((i) => i.version)).toEqual([2, 1]);
    const bad = await failure(api.history.list.query({ path: "/p/n.txt", cursor: "not-a-cursor" }));
    expect(bad.code).toBe("INVALID_INPUT");
    expect(bad.httpStatus).toBe(400);
  });

  it("audit log records every mutation with actor, source and ip; filters by path prefix and author", async () => {
    const bob = client(server, "bob", "api");
    await bob.config.create.mutate({ path: "/audit/x.txt", content: "x" });
    await bob.config.update.mutate({ path: "/audit/x.txt", content: "y", expectedVersion: 0 });
    const { items } = await api.audit.list.query({ path: "/audit", author: "bob" });
    const actions = items.map((i) => i.action);
    expect(actions).toContain("config.create");
    expect(actions).toContain("config.update");
    const upd = items.find((i) => i.action === "config.update")!;
    expect(upd).toMatchObject({ actor: "bob", path: "/audit/x.txt", source: "api" });
    expect(upd.ip).toMatch(/127\.0\.0\.1/);
    expect((await api.audit.list.query({ path: "/audit", author: "nobody" })).items).toEqual([]);
  });

  it("tree.children lists sorted children with Stats, kind, format; search by path and content", async () => {
    await api.config.create.mutate({ path: "/t/b.yaml", content: "k: v\n" });
    await api.config.create.mutate({ path: "/t/a.json", content: '{"needle": true}' });
    await api.config.create.mutate({ path: "/t/seq-", content: "", mode: "persistent_sequential" });
    const res = await api.tree.children.query({ path: "/t" });
    expect(res.children.map((c) => c.name).slice(0, 2)).toEqual(["a.json", "b.yaml"]);
    expect(res.children[0]).toMatchObject({ path: "/t/a.json", format: "json", kind: "persistent", sequential: false });
    expect(res.children[2]!.sequential).toBe(true);
    expect(res.stat.numChildren).toBe(3);

    const byPath = await api.tree.search.query({ query: "b.yaml", mode: "path" });
    expect(byPath.matches.map((m) => m.path)).toContain("/t/b.yaml");
    const byContent = await api.tree.search.query({ query: "needle", mode: "content", under: "/t" });
    expect(byContent.matches).toEqual([{ path: "/t/a.json", snippet: '{"needle": true}', line: 1 }]);
    expect(byContent.truncated).toBe(false);
  });

  it("cluster.info describes the embedded engine", async () => {
    const info = await api.cluster.info.query();
    expect(info.kind).toBe("embedded");
    expect(info.writable).toBe(true);
    expect(info.members[0]!.role).toBe("embedded");
  });
});
