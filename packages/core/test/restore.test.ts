/**
 * Restore of a deleted node over a real engine and a real SQLite history store: the node comes
 * back with the content of its last version, recorded in history as a create with source
 * "restore" and in the audit log as `history.restore`; a node that exists, or a path with no
 * history, is refused.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine } from "@conifer/engine";
import { openHistoryStore } from "@conifer/history";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, Conifer, type Actor } from "../src/index.ts";

const alice: Actor = { author: "alice", source: "console" };
const bob: Actor = { author: "bob", source: "console" };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start() {
  const dir = await mkdtemp(join(tmpdir(), "conifer-restore-"));
  const engine = await Engine.open({ dataDir: join(dir, "engine"), fsync: false });
  const store = await openHistoryStore({ url: `file:${join(dir, "history.db")}` });
  const conifer = new Conifer({ backend: engine, history: store, serverId: "test" });
  await conifer.start();
  cleanups.push(async () => {
    await conifer.stop();
    await engine.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { store, conifer };
}

describe("restore of a deleted node", () => {
  it("re-creates it with its last content, recorded as a restore in history and audit", async () => {
    const { store, conifer } = await start();
    const path = "/svc/limits.json";
    await conifer.config.create(alice, { path, content: '{"max":1}' });
    await conifer.config.update(alice, { path, content: '{"max":2}', expectedVersion: 0 });
    await conifer.config.delete(alice, { path, expectedVersion: 1 });
    await conifer.drain();

    const res = await conifer.history.restore(bob, { path });
    expect(res.stat.version).toBe(0);
    const node = await conifer.config.get(path);
    expect(node.data).toBe('{"max":2}');

    await conifer.drain();
    const [newest] = (await conifer.history.list({ path })).items;
    expect(newest).toMatchObject({ op: "create", source: "restore", author: "bob", mzxid: res.stat.mzxid });
    expect(newest!.message).toContain("Restore version 1");
    // the history of before the delete is still there, under the restored version
    expect((await conifer.history.list({ path })).items.map((i) => i.op)).toEqual([
      "create",
      "delete",
      "update",
      "create",
    ]);
    const audit = (await store.listAudit({ pathPrefix: path })).items.map((a) => a.action);
    expect(audit).toContain("history.restore");
  });

  it("refuses a node that exists and a path with no history", async () => {
    const { conifer } = await start();
    await conifer.config.create(alice, { path: "/here.txt", content: "x" });
    await expect(conifer.history.restore(bob, { path: "/here.txt" })).rejects.toSatisfy((e) =>
      ConfigError.is(e, "ALREADY_EXISTS"),
    );
    await expect(conifer.history.restore(bob, { path: "/never.txt" })).rejects.toSatisfy((e) =>
      ConfigError.is(e, "NOT_FOUND"),
    );
  });
});
