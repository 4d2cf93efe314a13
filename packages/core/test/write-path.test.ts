/**
 * The write path over a real engine and a real SQLite history store, with the store's calls
 * counted: what one publish costs in database writes, that its row is keyed on the zxid the
 * backend answered and recorded once (the change feed's event of the same write adds nothing),
 * and that a history store that does not answer cannot hold a publish past the recorder's bound.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine } from "@conifer/engine";
import { openHistoryStore, type HistoryStore } from "@conifer/history";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Conifer, type Actor } from "../src/index.ts";

const WRITES = new Set(["record", "recordObserved", "audit", "beginIntent", "completeIntent"]);
const actor: Actor = { author: "alice", source: "console" };

interface Counted {
  store: HistoryStore;
  calls: string[];
  /** while set, `record` waits for it before it reaches the database */
  gate: Promise<void> | null;
  /** how many `record` calls still fail (as a database that refuses them) */
  failRecords: number;
}

/** the real store, its calls logged by name (a Proxy: every method still goes to the database) */
function counted(real: HistoryStore): Counted {
  const c: Counted = { store: real, calls: [], gate: null, failRecords: 0 };
  c.store = new Proxy(real, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== "string" || typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        c.calls.push(prop);
        if (prop === "record" && c.gate) await c.gate;
        if (prop === "record" && c.failRecords > 0) {
          c.failRecords--;
          throw new Error("database refused the row");
        }
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
  return c;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(options: { recordTimeoutMs?: number } = {}) {
  const dir = await mkdtemp(join(tmpdir(), "conifer-write-path-"));
  const engine = await Engine.open({ dataDir: join(dir, "engine"), fsync: false });
  const real = await openHistoryStore({ url: `file:${join(dir, "history.db")}` });
  const history = counted(real);
  const conifer = new Conifer({ backend: engine, history: history.store, serverId: "test", ...options });
  await conifer.start();
  cleanups.push(async () => {
    await conifer.stop();
    await engine.close();
    await real.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { engine, real, history, conifer };
}

describe("write path", () => {
  it("a publish costs 3 database writes: intent, row with its intent's completion, audit", async () => {
    const { real, history, conifer } = await start();
    await conifer.config.create(actor, { path: "/count.json", content: '{"v":0}' });
    await conifer.drain();
    history.calls.length = 0;

    const { stat } = await conifer.config.update(actor, {
      path: "/count.json",
      content: '{"v":1}',
      expectedVersion: 0,
      message: "one publish",
    });
    await vi.waitFor(async () => {
      expect(await real.byMzxid("/count.json", stat.mzxid)).not.toBeNull();
    });
    await conifer.drain(); // the feed's event of this write: reads only
    const writes = history.calls.filter((c) => WRITES.has(c));
    expect(writes).toEqual(["beginIntent", "record", "audit"]);

    const row = await real.byMzxid("/count.json", stat.mzxid);
    expect(row).toMatchObject({ op: "update", version: 1, author: "alice", message: "one publish" });
    expect((await real.list("/count.json")).items).toHaveLength(2);
    expect(await real.pendingIntents({ path: "/count.json" })).toEqual([]);
  });

  it("a delete's row is keyed on the zxid the backend answered (the parent's pzxid), once", async () => {
    const { engine, real, conifer } = await start();
    await conifer.config.create(actor, { path: "/gone/a.txt", content: "a" });
    await conifer.config.delete(actor, { path: "/gone/a.txt", expectedVersion: 0 });
    await conifer.drain();
    const s = await engine.connect();
    const parent = await s.exists("/gone");
    await s.close();
    const rows = (await real.list("/gone/a.txt")).items;
    expect(rows.map((r) => r.op)).toEqual(["delete", "create"]);
    expect(rows[0]?.mzxid).toBe(parent?.pzxid.toString());
  });

  it("a history store that does not answer: the publish returns after the bound, recorded once it answers", async () => {
    const { real, history, conifer } = await start({ recordTimeoutMs: 300 });
    await conifer.config.create(actor, { path: "/slow.json", content: '{"v":0}' });
    await conifer.drain();
    let open!: () => void;
    history.gate = new Promise<void>((resolve) => (open = resolve));

    const { stat } = await conifer.config.update(actor, { path: "/slow.json", content: '{"v":1}', expectedVersion: 0 });
    expect(stat.version).toBe(1);
    // answered without its row: the intent is still pending, nothing recorded yet
    expect(await real.byMzxid("/slow.json", stat.mzxid)).toBeNull();
    expect(
      (await real.pendingIntents({ path: "/slow.json" })).filter((i) => i.op === "update").map((i) => i.author),
    ).toEqual(["alice"]);

    open();
    history.gate = null;
    await vi.waitFor(
      async () => {
        expect(await real.pendingIntents({ path: "/slow.json" })).toEqual([]);
      },
      { timeout: 30_000 },
    );
    await conifer.drain();
    const rows = (await real.list("/slow.json")).items;
    expect(rows.map((r) => [r.version, r.author])).toEqual([
      [1, "alice"],
      [0, "alice"],
    ]);
  });

  it("a row the store refused: the publish succeeds, the change feed records it for its author", async () => {
    const { real, history, conifer } = await start();
    await conifer.config.create(actor, { path: "/refused.json", content: '{"v":0}' });
    await conifer.drain();
    history.failRecords = 1;
    const { stat } = await conifer.config.update(actor, {
      path: "/refused.json",
      content: '{"v":1}',
      expectedVersion: 0,
      message: "kept",
    });
    expect(history.failRecords).toBe(0); // the writer's own row was the one refused
    await vi.waitFor(
      async () => {
        expect(await real.byMzxid("/refused.json", stat.mzxid)).toMatchObject({
          version: 1,
          author: "alice",
          message: "kept",
          source: "console",
        });
      },
      { timeout: 30_000 },
    );
    expect(await real.pendingIntents({ path: "/refused.json" })).toEqual([]);
  });
});
