/**
 * The write pipeline's failure paths, driven through the fault-injecting Session wrapper of
 * @conifer/coordinator/contract over a real engine and a real SQLite history store: a conflict
 * (stale version, node deleted in between), a write refused before it was sent, a write applied
 * whose answer was lost (the unknown outcome), and the Nth call of a multi-step write failing.
 * Each runs in milliseconds; the same paths are also exercised against a 3-node ZooKeeper
 * ensemble losing its leader (apps/server/test/zk-failover.test.ts).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoordinatorError, type Session } from "@conifer/coordinator";
import { FaultyBackend, type FaultySession } from "@conifer/coordinator/contract";
import { Engine } from "@conifer/engine";
import { openHistoryStore, type HistoryStore } from "@conifer/history";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Conifer } from "./conifer.ts";
import type { Actor } from "./dto.ts";

let dir: string;
let engine: Engine;
let history: HistoryStore;
let backend: FaultyBackend;
let conifer: Conifer;
/** the server's session, wrapped: faults are planned on it */
let faulty: FaultySession;
/** another client of the same engine, for competing writes and for looking at what is there */
let other: Session;

const carol: Actor = { author: "carol", source: "console" };

/** what a failed call threw (a test fails if the call succeeds) */
async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => expect.unreachable("the write should have failed"),
    (err: unknown) => err,
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "conifer-core-faults-"));
  engine = await Engine.open({ dataDir: join(dir, "engine"), fsync: false });
  history = await openHistoryStore({ url: `file:${join(dir, "history.db")}` });
  backend = new FaultyBackend(engine);
  conifer = new Conifer({ backend, history, serverId: "test" });
  await conifer.start();
  faulty = backend.last();
  other = await engine.connect();
});

afterEach(() => {
  faulty.clear();
});

afterAll(async () => {
  await other.close();
  await conifer.stop();
  await engine.close();
  await history.close();
  await rm(dir, { recursive: true, force: true });
});

describe("ConfigWriter under injected faults", () => {
  it("a stale version is a CONFLICT carrying what is there now; the intent is closed as failed", async () => {
    const path = "/faults/conflict.json";
    const { stat } = await conifer.config.create(carol, { path, content: '{"v":0}' });
    await other.setData(path, Buffer.from('{"v":"theirs"}'));
    const err = await failure(
      conifer.config.update(carol, { path, content: '{"v":1}', expectedVersion: stat.version }),
    );
    expect(err).toMatchObject({
      code: "CONFLICT",
      details: { currentVersion: 1, currentContent: '{"v":"theirs"}', expectedVersion: 0 },
    });
    expect((await other.getData(path)).data.toString()).toBe('{"v":"theirs"}');
    expect(await history.pendingIntents({ path })).toEqual([]);
  });

  it("a node deleted between the refused write and the re-read is a CONFLICT saying so", async () => {
    const path = "/faults/deleted-meanwhile.txt";
    const { stat } = await conifer.config.create(carol, { path, content: "a" });
    await other.setData(path, Buffer.from("b"));
    await conifer.drain(); // the feed's own reads of that change are done: the next getData is the writer's
    // the conflict's re-read waits until the other client has deleted the node
    faulty.inject({ call: "getData", fault: { kind: "delay", until: () => other.delete(path) } });
    const err = await failure(conifer.config.update(carol, { path, content: "c", expectedVersion: stat.version }));
    expect(err).toMatchObject({ code: "CONFLICT", details: { currentVersion: -1, currentContent: null } });
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/was deleted since version 0/);
  });

  it("a write refused before it was sent: unknown outcome reported, nothing applied, intent left pending", async () => {
    const path = "/faults/not-sent.txt";
    const { stat } = await conifer.config.create(carol, { path, content: "v0" });
    const planned = faulty.inject({ call: "setData", fault: { kind: "fail" } });
    const err = await failure(conifer.config.update(carol, { path, content: "v1", expectedVersion: stat.version }));
    await planned.hit;
    expect(err).toMatchObject({ code: "BACKEND_UNAVAILABLE", details: { outcome: "unknown" } });
    expect((err as Error).message).toMatch(/may or may not have been applied/);
    expect((await other.getData(path)).stat.version).toBe(0);
    // the reconciler, not this call, decides what became of it
    expect(await history.pendingIntents({ path })).toMatchObject([{ op: "update", author: "carol" }]);
  });

  it("a write applied whose answer was lost: unknown outcome reported, history still names its author", async () => {
    const path = "/faults/lost-answer.txt";
    const { stat } = await conifer.config.create(carol, { path, content: "v0" });
    faulty.inject({ call: "setData", fault: { kind: "lose-answer" } });
    const err = await failure(
      conifer.config.update(carol, { path, content: "v1", expectedVersion: stat.version, message: "lost" }),
    );
    expect(err).toMatchObject({ code: "BACKEND_UNAVAILABLE", details: { outcome: "unknown" } });
    const now = await other.getData(path);
    expect(now.stat.version).toBe(1);
    // recorded from the watch, attributed through the pending intent
    await conifer.drain();
    expect(await history.byMzxid(path, now.stat.mzxid)).toMatchObject({
      version: 1,
      author: "carol",
      source: "console",
      message: "lost",
    });
    expect(await history.pendingIntents({ path })).toEqual([]);
  });

  it("a recursive delete whose multi answer was lost: every node gone, each delete attributed", async () => {
    const base = "/faults/tree";
    await conifer.config.create(carol, { path: `${base}/a.txt`, content: "a" });
    await conifer.config.create(carol, { path: `${base}/b.txt`, content: "b" });
    const { stat } = await other.getData(base);
    faulty.inject({ call: "multi", fault: { kind: "lose-answer" } });
    const err = await failure(
      conifer.config.delete(carol, { path: base, expectedVersion: stat.version, recursive: true }),
    );
    expect(err).toMatchObject({ code: "BACKEND_UNAVAILABLE", details: { outcome: "unknown" } });
    expect(await other.exists(base)).toBeNull();
    await conifer.drain();
    for (const p of [base, `${base}/a.txt`, `${base}/b.txt`]) {
      const rows = (await history.list(p)).items;
      expect(rows.at(0), p).toMatchObject({ op: "delete", author: "carol", source: "console" });
    }
  });

  it("the Nth call failing: a create whose parent was made but whose own create was lost", async () => {
    const path = "/nth-fault/leaf.json";
    // the 1st create is the missing parent "/nth-fault", the 2nd the leaf
    const planned = faulty.inject({ call: "create", nth: 2, fault: { kind: "fail" } });
    const err = await failure(conifer.config.create(carol, { path, content: "{}" }));
    await planned.hit;
    expect(err).toMatchObject({ code: "BACKEND_UNAVAILABLE", details: { outcome: "unknown" } });
    expect(await other.exists("/nth-fault")).not.toBeNull();
    expect(await other.exists(path)).toBeNull();
    await conifer.drain();
    expect((await history.list("/nth-fault")).items).toMatchObject([{ op: "create", author: "carol" }]);
    expect((await history.list(path)).items).toEqual([]);
  });

  it("an error that is not about the connection closes the intent as failed and is not 'unknown'", async () => {
    const path = "/faults/refused.txt";
    const { stat } = await conifer.config.create(carol, { path, content: "v0" });
    faulty.inject({ call: "setData", fault: { kind: "fail", error: new CoordinatorError("NO_AUTH", "NO_AUTH") } });
    const err = await failure(conifer.config.update(carol, { path, content: "v1", expectedVersion: stat.version }));
    expect(err).toMatchObject({ code: "FORBIDDEN" });
    expect((err as { details?: { outcome?: string } }).details?.outcome).toBeUndefined();
    expect(await history.pendingIntents({ path })).toEqual([]);
  });
});
