/**
 * Engine semantics against the reference (§1-§3): stats, sequential names, error order, zxid
 * accounting, multi, watches and their ordering, ACLs. Real engine on a temp data dir.
 */
import { describe, expect, it } from "vitest";
import { CoordinatorError, OPEN_ACL_UNSAFE } from "@conifer/coordinator";
import type { ErrorCodeName, WatchEvent } from "@conifer/coordinator";
import { digestOf } from "../src/index.ts";
import { buf, openEngine } from "./helpers.ts";

async function codeOf(p: Promise<unknown>): Promise<ErrorCodeName | "OK"> {
  try {
    await p;
    return "OK";
  } catch (err) {
    if (err instanceof CoordinatorError) return err.code;
    throw err;
  }
}

async function session(options = {}) {
  const { engine } = await openEngine(options);
  return { engine, s: await engine.connect() };
}

describe("data model", () => {
  it("starts with the built-in nodes and their odd stats", async () => {
    const { s } = await session();
    const root = await s.exists("/");
    expect(root).toMatchObject({ cversion: -1, numChildren: 1, czxid: 0n });
    expect((await s.getChildren("/zookeeper")).stat.cversion).toBe(-2);
    const cfg = await s.getACL("/zookeeper/config");
    expect(cfg.acl).toEqual([{ perms: 1, id: { scheme: "world", id: "anyone" } }]);
    expect(cfg.stat.aversion).toBe(-1);
    // paths are checked locally, as ZooKeeper client libraries do: no alias "" for the root
    expect(await codeOf(s.exists(""))).toBe("BAD_ARGUMENTS");
  });

  it("create2 stat, parent cversion/pzxid, setData, setACL fields", async () => {
    const { s } = await session();
    const a = await s.create("/a");
    const b = await s.create("/a/b", buf("hi"));
    expect(b.stat).toMatchObject({ version: 0, cversion: 0, dataLength: 2, numChildren: 0 });
    expect(b.stat.czxid).toBe(b.stat.mzxid);
    expect(b.stat.pzxid).toBe(b.stat.czxid);
    expect(b.stat.czxid).toBe(a.stat.czxid + 1n);
    const parent = (await s.exists("/a"))!;
    expect(parent).toMatchObject({ cversion: 1, numChildren: 1, pzxid: b.stat.czxid, mzxid: a.stat.czxid });
    const { stat: set } = await s.setData("/a/b", buf("hi"));
    expect(set).toMatchObject({ version: 1, ctime: b.stat.ctime, cversion: 0, aversion: 0, pzxid: b.stat.pzxid });
    expect(set.mzxid).toBe(b.stat.czxid + 1n);
    const { stat: acl } = await s.setACL("/a/b", OPEN_ACL_UNSAFE, 0);
    expect(acl).toMatchObject({ aversion: 1, mzxid: set.mzxid, mtime: set.mtime, version: 1 });
    await s.delete("/a/b", 1);
    expect(await s.exists("/a")).toMatchObject({ cversion: 2, numChildren: 0 });
  });

  it("sequential suffixes come from the child-creation counter", async () => {
    const { s } = await session();
    await s.create("/s");
    expect((await s.create("/s/n", null, { mode: "PERSISTENT_SEQUENTIAL" })).path).toBe("/s/n0000000000");
    await s.create("/s/x");
    expect((await s.create("/s/n", null, { mode: "PERSISTENT_SEQUENTIAL" })).path).toBe("/s/n0000000002");
    await s.delete("/s/x");
    expect(await codeOf(s.create("/s/x/y"))).toBe("NO_NODE");
    expect(await codeOf(s.create("/s/n0000000000"))).toBe("NODE_EXISTS");
    expect((await s.create("/s/", null, { mode: "EPHEMERAL_SEQUENTIAL" })).path).toBe("/s/0000000003");
    expect((await s.exists("/s"))!.cversion).toBe(2 * 4 - 3);
    const { results: r } = await s.multi([
      { type: "create", path: "/s/m", options: { mode: "PERSISTENT_SEQUENTIAL" } },
      { type: "create", path: "/s/m", options: { mode: "PERSISTENT_SEQUENTIAL" } },
    ]);
    expect(r).toEqual([
      { type: "create", path: "/s/m0000000004" },
      { type: "create", path: "/s/m0000000005" },
    ]);
  });

  it("checks create errors in ZooKeeper's order", async () => {
    const { s } = await session({ extendedTypesEnabled: false });
    await s.create("/a");
    expect(await codeOf(s.create("/a", null, { mode: "NOPE" as never }))).toBe("BAD_ARGUMENTS");
    expect(await codeOf(s.create("/t", null, { mode: "PERSISTENT_WITH_TTL", ttl: 10 }))).toBe("UNIMPLEMENTED");
    expect(await codeOf(s.create("a"))).toBe("BAD_ARGUMENTS");
    expect(await codeOf(s.create("/a/"))).toBe("BAD_ARGUMENTS");
    expect(await codeOf(s.create("/a/."))).toBe("BAD_ARGUMENTS");
    expect(await codeOf(s.create("/a/.."))).toBe("BAD_ARGUMENTS");
    expect(await codeOf(s.create("/a//b"))).toBe("BAD_ARGUMENTS");
    expect(await codeOf(s.create("/missing/", null, { mode: "PERSISTENT_SEQUENTIAL" }))).toBe("NO_NODE");
    expect(await codeOf(s.create("/a/.", null, { mode: "PERSISTENT_SEQUENTIAL" }))).toBe("OK");
    expect(await codeOf(s.create("/nope/x", null, { acl: [] }))).toBe("INVALID_ACL");
    expect(await codeOf(s.create("/a/..."))).toBe("OK");
    expect(await codeOf(s.create("/"))).toBe("NODE_EXISTS");
    expect(await codeOf(s.create("/zookeeper"))).toBe("NODE_EXISTS");
    await s.create("/e", null, { mode: "EPHEMERAL" });
    expect(await codeOf(s.create("/e/c"))).toBe("NO_CHILDREN_FOR_EPHEMERALS");
    expect(await codeOf(s.create("/e/c", null, { mode: "EPHEMERAL_SEQUENTIAL" }))).toBe("NO_CHILDREN_FOR_EPHEMERALS");
    expect(await codeOf(s.create("/e"))).toBe("NODE_EXISTS");
  });

  it("checks delete errors in order and protects built-ins", async () => {
    const { s } = await session();
    for (const p of ["/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"])
      expect(await codeOf(s.delete(p))).toBe("BAD_ARGUMENTS");
    await s.create("/d");
    await s.create("/d/c");
    expect(await codeOf(s.delete("/d", 7))).toBe("BAD_VERSION");
    expect(await codeOf(s.delete("/d"))).toBe("NOT_EMPTY");
    expect(await codeOf(s.delete("/d/zz"))).toBe("NO_NODE");
    expect(await codeOf(s.delete("/d/c", -2))).toBe("BAD_VERSION");
    expect(await codeOf(s.delete("/d/c", 0))).toBe("OK");
  });

  it("consumes a zxid for every write, failed or not, and none for reads", async () => {
    const { engine, s } = await session();
    const a = await s.create("/z");
    await codeOf(s.create("/z"));
    // refused locally (bad path, data too large): never reaches the log, costs no zxid
    await codeOf(s.create("/z/"));
    await s.getData("/z");
    await s.sync("/");
    const b = await s.create("/z2");
    expect(b.stat.czxid).toBe(a.stat.czxid + 2n);
    await codeOf(s.multi([{ type: "check", path: "/z", version: 9 }]));
    await s.multi([]);
    expect((await s.create("/z3")).stat.czxid).toBe(b.stat.czxid + 3n);
    expect(engine.lastZxid).toBe(b.stat.czxid + 3n);
  });

  it("refuses data over maxDataBytes with a clear message", async () => {
    const { s } = await session({ maxDataBytes: 1000 });
    await s.create("/big", Buffer.alloc(1000));
    const err = await s.setData("/big", Buffer.alloc(1001)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CoordinatorError);
    expect((err as CoordinatorError).code).toBe("BAD_ARGUMENTS");
    expect((err as CoordinatorError).message).toMatch(/1001 bytes.*1000/);
    expect(await codeOf(s.multi([{ type: "create", path: "/b2", data: Buffer.alloc(5000) }]))).toBe("BAD_ARGUMENTS");
    const half = Buffer.alloc(600);
    expect(
      await codeOf(
        s.multi([
          { type: "create", path: "/b3", data: half },
          { type: "setData", path: "/big", data: half },
        ]),
      ),
    ).toBe("BAD_ARGUMENTS");
    expect(await s.exists("/b3")).toBeNull();
  });

  it("getEphemerals and getAllChildrenNumber", async () => {
    const { engine, s } = await session();
    const other = await engine.connect();
    await s.create("/g");
    await s.create("/g/e1", null, { mode: "EPHEMERAL" });
    await s.create("/g/e2", null, { mode: "EPHEMERAL" });
    await other.create("/g/o", null, { mode: "EPHEMERAL" });
    expect((await s.getEphemerals()).sort()).toEqual(["/g/e1", "/g/e2"]);
    expect(await s.getEphemerals("/g/e1")).toEqual(["/g/e1"]);
    expect(await s.getAllChildrenNumber("/g")).toBe(3);
    expect(await s.getAllChildrenNumber("/")).toBe(3 + 1 + 3);
    expect(await codeOf(s.getAllChildrenNumber("/nope"))).toBe("NO_NODE");
    expect(await other.getEphemerals("/")).toEqual(["/g/o"]);
  });
});

describe("multi", () => {
  it("is all-or-nothing with per-op codes and one zxid", async () => {
    const { s } = await session();
    const { results: r } = await s.multi([
      { type: "create", path: "/m" },
      { type: "create", path: "/m/a" },
      { type: "setData", path: "/m", data: buf("v"), version: 0 },
      { type: "check", path: "/m", version: 1 },
      { type: "delete", path: "/m/a" },
    ]);
    expect(r.map((x) => x.type)).toEqual(["create", "create", "setData", "check", "delete"]);
    const m = (await s.exists("/m"))!;
    expect(m.czxid).toBe(m.mzxid);
    expect(m.cversion).toBe(2);
    const err = (await s
      .multi([
        { type: "create", path: "/m2" },
        { type: "check", path: "/m", version: 5 },
        { type: "create", path: "/m3" },
      ])
      .catch((e: unknown) => e)) as CoordinatorError;
    expect(err.code).toBe("BAD_VERSION");
    expect(err.opCodes).toEqual(["OK", "BAD_VERSION", "RUNTIME_INCONSISTENCY"]);
    expect(await s.exists("/m2")).toBeNull();
    const { results: c } = await s.multi([{ type: "create", path: "/m/k", options: { mode: "CONTAINER" } }]);
    expect(c[0]).toMatchObject({ type: "create", path: "/m/k", stat: { numChildren: 0 } });
  });

  it("rolls back sequence counters and fires no watch on failure", async () => {
    const { s } = await session();
    await s.create("/q");
    const ev: WatchEvent[] = [];
    await s.getChildren("/q", (e) => ev.push(e));
    await codeOf(
      s.multi([
        { type: "create", path: "/q/n", options: { mode: "PERSISTENT_SEQUENTIAL" } },
        { type: "delete", path: "/q/none" },
      ]),
    );
    expect((await s.create("/q/n", null, { mode: "PERSISTENT_SEQUENTIAL" })).path).toBe("/q/n0000000000");
    expect(ev).toEqual([{ type: "NodeChildrenChanged", path: "/q" }]);
  });
});

describe("watches", () => {
  it("delivers the event before the reply of the writer's own later read", async () => {
    const { s } = await session();
    await s.create("/w", buf("1"));
    const log: string[] = [];
    await s.getData("/w", (e) => log.push(`event ${e.type}`));
    const set = s.setData("/w", buf("2")).then(() => log.push("set reply"));
    const get = s.getData("/w").then((r) => log.push(`get ${r.data.toString()}`));
    await Promise.all([set, get]);
    expect(log).toEqual(["event NodeDataChanged", "set reply", "get 2"]);
  });

  it("fires one-shot watches once; exists on a missing node fires NodeCreated", async () => {
    const { engine, s } = await session();
    const w = await engine.connect();
    await s.create("/o");
    const ev: WatchEvent[] = [];
    await w.getData("/o", (e) => ev.push(e));
    await s.setData("/o", buf("a"));
    await s.setData("/o", buf("b"));
    expect(await w.exists("/o/new", (e) => ev.push(e))).toBeNull();
    await codeOf(w.getData("/o/other", (e) => ev.push(e)));
    await s.create("/o/new");
    await s.create("/o/other");
    await w.sync("/");
    expect(ev).toEqual([
      { type: "NodeDataChanged", path: "/o" },
      { type: "NodeCreated", path: "/o/new" },
    ]);
  });

  it("one notification for data+child+exist watches on a deleted node, then the parent's", async () => {
    const { engine, s } = await session();
    const w = await engine.connect();
    await s.create("/p");
    await s.create("/p/c");
    const ev: WatchEvent[] = [];
    const fn = (e: WatchEvent) => ev.push(e);
    await w.getData("/p/c", fn);
    await w.getChildren("/p/c", fn);
    await w.exists("/p/c", fn);
    await w.getChildren("/p", fn);
    await s.delete("/p/c");
    await w.sync("/");
    expect(ev).toEqual([
      { type: "NodeDeleted", path: "/p/c" },
      { type: "NodeChildrenChanged", path: "/p" },
    ]);
    await s.setACL("/p", OPEN_ACL_UNSAFE);
    await w.sync("/");
    expect(ev).toHaveLength(2);
  });

  it("persistent and recursive watches; removeWatches and NO_WATCHER", async () => {
    const { s } = await session();
    const pe: WatchEvent[] = [];
    const re: WatchEvent[] = [];
    await s.addWatch("/w", "PERSISTENT", (e) => pe.push(e));
    await s.addWatch("/r", "PERSISTENT_RECURSIVE", (e) => re.push(e));
    await s.create("/w");
    await s.create("/w/x");
    await s.setData("/w/x", buf("1"));
    await s.setData("/w", buf("1"));
    await s.setData("/w", buf("2"));
    expect(pe.map((e) => `${e.type} ${e.path}`)).toEqual([
      "NodeCreated /w",
      "NodeChildrenChanged /w",
      "NodeDataChanged /w",
      "NodeDataChanged /w",
    ]);
    await s.create("/r");
    await s.create("/r/s");
    await s.setData("/r/s", buf("x"));
    await s.delete("/r/s");
    expect(re.map((e) => `${e.type} ${e.path}`)).toEqual([
      "NodeCreated /r",
      "NodeCreated /r/s",
      "NodeDataChanged /r/s",
      "NodeDeleted /r/s",
    ]);
    await s.removeWatches("/w", "Any");
    expect(await codeOf(s.removeWatches("/w", "Any"))).toBe("NO_WATCHER");
    await s.setData("/w", buf("3"));
    await s.sync("/");
    expect(pe).toHaveLength(4);
  });
});

describe("ACLs", () => {
  it("enforces READ/WRITE/CREATE/DELETE/ADMIN and masks digest ids", async () => {
    const { engine, s } = await session({ superDigest: digestOf("super:root") });
    await s.addAuth("digest", "alice:secret");
    await s.create("/sec", buf("x"), { acl: [{ perms: 31, id: { scheme: "auth", id: "" } }] });
    expect((await s.getACL("/sec")).acl).toEqual([
      { perms: 31, id: { scheme: "digest", id: digestOf("alice:secret") } },
    ]);
    const anon = await engine.connect();
    expect(await codeOf(anon.getData("/sec"))).toBe("NO_AUTH");
    expect(await codeOf(anon.getChildren("/sec"))).toBe("NO_AUTH");
    expect(await codeOf(anon.getACL("/sec"))).toBe("NO_AUTH");
    expect(await codeOf(anon.setData("/sec", buf("y")))).toBe("NO_AUTH");
    expect(await codeOf(anon.create("/sec/c"))).toBe("NO_AUTH");
    expect(await anon.exists("/sec")).not.toBeNull();
    await s.create("/sec/kid");
    expect(await codeOf(anon.delete("/sec/kid"))).toBe("NO_AUTH");
    const wrong = await engine.connect({ auth: [{ scheme: "digest", auth: "alice:nope" }] });
    expect(await codeOf(wrong.getData("/sec"))).toBe("NO_AUTH");
    const su = await engine.connect({ auth: [{ scheme: "digest", auth: "super:root" }] });
    expect((await su.getData("/sec")).data.toString()).toBe("x");
    await s.create("/pub", null, {
      acl: [
        { perms: 1, id: { scheme: "world", id: "anyone" } },
        { perms: 31, id: { scheme: "digest", id: digestOf("alice:secret") } },
      ],
    });
    expect((await anon.getACL("/pub")).acl[1]).toEqual({ perms: 31, id: { scheme: "digest", id: "alice:x" } });
    expect(await codeOf(anon.setACL("/pub", OPEN_ACL_UNSAFE))).toBe("NO_AUTH");
    expect(await codeOf(s.setACL("/pub", OPEN_ACL_UNSAFE, 3))).toBe("BAD_VERSION");
    expect(await codeOf(s.setACL("/pub", [{ perms: 31, id: { scheme: "world", id: "someone" } }]))).toBe("INVALID_ACL");
    expect(await codeOf(anon.create("/x", null, { acl: [{ perms: 31, id: { scheme: "auth", id: "" } }] }))).toBe(
      "INVALID_ACL",
    );
    await s.create("/cr", null, { acl: [{ perms: 4, id: { scheme: "world", id: "anyone" } }] });
    expect(await codeOf(anon.create("/cr/x"))).toBe("OK");
    expect(await codeOf(anon.delete("/cr/x"))).toBe("NO_AUTH");
    expect(await codeOf(anon.addAuth("kerberos", "x"))).toBe("AUTH_FAILED");
    await s.create("/ip", null, { acl: [{ perms: 31, id: { scheme: "ip", id: "127.0.0.1" } }] });
    expect(await codeOf(anon.getData("/ip"))).toBe("OK");
  });
});
