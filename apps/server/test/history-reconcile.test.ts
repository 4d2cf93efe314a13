/**
 * History stays complete when changes bypass Conifer's write path: a change made directly on
 * the backend by another session is recorded as "external" by the change feed; a crash between
 * the backend write and the history row (backend written + intent left pending) is reconciled
 * on restart with the intent's author; changes made while the server was down are found too.
 */
import { join } from "node:path";
import { Engine } from "@conifer/engine";
import { openHistoryStore } from "@conifer/history";
import { afterEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { client, start, tempDir, waitFor } from "./helpers.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

async function fresh(): Promise<{ dir: string; server: RunningServer }> {
  const t = await tempDir();
  cleanups.push(t.cleanup);
  const server = await start(t.dir);
  cleanups.push(() => server.close());
  return { dir: t.dir, server };
}

/** What a crashed or stopped server leaves behind, edited with the real engine and store. */
async function offline(
  dir: string,
  work: (e: Engine, h: Awaited<ReturnType<typeof openHistoryStore>>) => Promise<void>,
): Promise<void> {
  const engine = await Engine.open({ dataDir: join(dir, "engine") });
  const history = await openHistoryStore({ url: `file:${join(dir, "history.db")}` });
  try {
    await work(engine, history);
  } finally {
    await history.close();
    await engine.close();
  }
}

describe("history of changes made behind the server's back", () => {
  it("records create / update / delete done by another backend session as external", async () => {
    const { server } = await fresh();
    const api = client(server);
    const other = await server.backend.connect();
    try {
      await other.create("/ext", Buffer.alloc(0));
      const { stat } = await other.create("/ext/flag.txt", Buffer.from("on"));
      const created = await waitFor(
        async () => (await api.history.list.query({ path: "/ext/flag.txt" })).items[0],
        "external create",
      );
      expect(created).toMatchObject({
        op: "create",
        version: 0,
        source: "external",
        author: "external",
        mzxid: stat.mzxid.toString(),
      });

      const { stat: st2 } = await other.setData("/ext/flag.txt", Buffer.from("off"), 0);
      const updated = await waitFor(
        async () => (await api.history.list.query({ path: "/ext/flag.txt" })).items.find((i) => i.version === 1),
        "external update",
      );
      expect(updated).toMatchObject({ op: "update", source: "external", mzxid: st2.mzxid.toString() });
      expect((await api.history.get.query({ id: updated.id })).content).toBe("off");

      await other.delete("/ext/flag.txt", 1);
      const deleted = await waitFor(
        async () => (await api.history.list.query({ path: "/ext/flag.txt" })).items.find((i) => i.op === "delete"),
        "external delete",
      );
      expect(deleted).toMatchObject({ source: "external", version: 1 });
    } finally {
      await other.close();
    }
    // the server's own writes never show up as external
    await api.config.create.mutate({ path: "/own.txt", content: "x" });
    await server.conifer.drain();
    const own = await api.history.list.query({ path: "/own.txt" });
    expect(own.items.map((i) => i.source)).toEqual(["console"]);
  });

  it("a crash between backend write and history row is reconciled on restart, with the intent's author", async () => {
    const t = await tempDir();
    cleanups.push(t.cleanup);
    let server = await start(t.dir);
    let api = client(server);
    await api.config.create.mutate({ path: "/crash/app.json", content: '{"v":0}' });
    await server.kill();

    // the crashed write: intent written, backend written, no history row, intent never completed
    let mzxid = "";
    await offline(t.dir, async (engine, history) => {
      await history.beginIntent({
        path: "/crash/app.json",
        op: "update",
        content: '{"v":1}',
        author: "carol",
        message: "bump",
        source: "console",
        expectedVersion: 0,
      });
      const s = await engine.connect();
      const { stat: st } = await s.setData("/crash/app.json", Buffer.from('{"v":1}'), 0);
      mzxid = st.mzxid.toString();
      // and a change by some other tool while the server was down, plus a deletion
      await s.create("/crash/other.txt", Buffer.from("zk"));
      await s.close();
    });

    server = await start(t.dir);
    cleanups.push(() => server.close());
    api = client(server);
    const items = (await api.history.list.query({ path: "/crash/app.json" })).items;
    expect(items[0]).toMatchObject({
      version: 1,
      mzxid,
      author: "carol",
      message: "bump",
      source: "console",
      op: "update",
    });
    expect(await server.history.pendingIntents()).toEqual([]);
    expect((await api.history.list.query({ path: "/crash/other.txt" })).items[0]).toMatchObject({
      source: "external",
      op: "create",
    });
  });

  it("finds nodes deleted while the server was down, and closes intents whose write never happened", async () => {
    const t = await tempDir();
    cleanups.push(t.cleanup);
    let server = await start(t.dir);
    await client(server).config.create.mutate({ path: "/gone.txt", content: "bye" });
    await server.close();
    await offline(t.dir, async (engine, history) => {
      await history.beginIntent({ path: "/never.txt", op: "update", content: "x", author: "dave", source: "api" });
      const s = await engine.connect();
      await s.delete("/gone.txt");
      await s.close();
    });
    server = await start(t.dir);
    cleanups.push(() => server.close());
    const h = await client(server).history.list.query({ path: "/gone.txt" });
    expect(h.items.map((i) => [i.op, i.source])).toEqual([
      ["delete", "external"],
      ["create", "console"],
    ]);
    expect(await server.history.pendingIntents()).toEqual([]);
  });

  it("starts and stops repeatedly on the same data dir and port (graceful and killed)", async () => {
    const t = await tempDir();
    cleanups.push(t.cleanup);
    let port = 0;
    for (let i = 0; i < 3; i++) {
      const server = await start(t.dir, { port });
      if (port) expect(server.port).toBe(port);
      port = server.port;
      const api = client(server);
      if (i === 0) await api.config.create.mutate({ path: "/r.txt", content: "0" });
      else await api.config.update.mutate({ path: "/r.txt", content: String(i), expectedVersion: i - 1 });
      if (i === 1) await server.kill();
      else await server.close();
    }
    const server = await start(t.dir, { port });
    cleanups.push(() => server.close());
    const api = client(server);
    expect((await api.config.get.query({ path: "/r.txt" })).data).toBe("2");
    expect((await api.history.list.query({ path: "/r.txt" })).items.map((i) => [i.version, i.source])).toEqual([
      [2, "console"],
      [1, "console"],
      [0, "console"],
    ]);
  });

  it("a failed listen (port taken) releases the data dir, so starting again works", async () => {
    const t = await tempDir();
    cleanups.push(t.cleanup);
    const first = await start(t.dir);
    cleanups.push(() => first.close());
    const other = await tempDir();
    cleanups.push(other.cleanup);
    await expect(start(other.dir, { port: first.port })).rejects.toThrow(/EADDRINUSE/);
    const again = await start(other.dir);
    cleanups.push(() => again.close());
    await client(again).config.create.mutate({ path: "/after-failed-listen.txt", content: "ok" });
  });
});
