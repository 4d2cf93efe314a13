/**
 * The domain layer over a real engine and a real SQLite history store, configured as if other
 * server processes shared the backend: a change whose pending intent belongs to someone else is
 * given a grace period, then attributed; a change with no intent is "external" at once; and a
 * burst of changes yields notices in strictly increasing mzxid order ending at the final state.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Session } from "@conifer/coordinator";
import { Engine } from "@conifer/engine";
import { openHistoryStore, type HistoryStore } from "@conifer/history";
import type { ChangeNotice } from "@conifer/protocol";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Conifer } from "../src/index.ts";

let dir: string;
let engine: Engine;
let history: HistoryStore;
let conifer: Conifer;
let other: Session;
const GRACE = 400;

function waitFor<T>(check: () => Promise<T>, what: string): Promise<NonNullable<T>> {
  return vi.waitFor(
    async () => {
      const v = await check();
      if (!v) throw new Error(`timed out waiting for ${what}`);
      return v;
    },
    { timeout: 30_000, interval: 25 },
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "conifer-core-"));
  engine = await Engine.open({ dataDir: join(dir, "engine"), fsync: false });
  history = await openHistoryStore({ url: `file:${join(dir, "history.db")}` });
  conifer = new Conifer({ backend: engine, history, serverId: "test", sharedBackend: true, intentGraceMs: GRACE });
  await conifer.start();
  other = await engine.connect();
});

afterAll(async () => {
  // unset when beforeAll failed before opening them
  const opened = { other, conifer, engine, history } as Partial<{
    other: Session;
    conifer: Conifer;
    engine: Engine;
    history: HistoryStore;
  }>;
  await opened.other?.close();
  await opened.conifer?.stop();
  await opened.engine?.close();
  await opened.history?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("history recorder on a shared backend", () => {
  it("waits for a peer's pending write, then attributes it if the peer never records it", async () => {
    const intent = await history.beginIntent({
      path: "/peer-crashed.txt",
      op: "create",
      content: "v",
      author: "peer-user",
      source: "console",
      message: "from a peer",
    });
    const { stat } = await other.create("/peer-crashed.txt", Buffer.from("v"));
    const row = await waitFor(() => history.byMzxid("/peer-crashed.txt", stat.mzxid), "attribution after grace");
    expect(row).toMatchObject({ author: "peer-user", source: "console", message: "from a peer", op: "create" });
    expect((await history.getIntent(intent.id))?.completedAt).not.toBeNull();
  });

  it("leaves the row to the peer when it records within the grace period", async () => {
    const intent = await history.beginIntent({
      path: "/peer-ok.txt",
      op: "create",
      content: "w",
      author: "peer-2",
      source: "api",
    });
    const seen: ChangeNotice[] = [];
    const unlisten = conifer.listen({ changed: (n) => n.path === "/peer-ok.txt" && seen.push(n) });
    const { stat } = await other.create("/peer-ok.txt", Buffer.from("w"));
    await history.record({
      path: "/peer-ok.txt",
      version: 0,
      mzxid: stat.mzxid,
      czxid: stat.czxid,
      op: "create",
      content: "w",
      author: "peer-2",
      source: "api",
    });
    await history.completeIntent(intent.id, { mzxid: stat.mzxid });
    // the server saw the change (its notice), and may have deferred it for the peer: once that
    // retry ran (the history backlog is empty), it is the retry that did not record a second row
    await vi.waitFor(() => expect(seen.map((n) => n.mzxid)).toContain(stat.mzxid.toString()), { timeout: 30_000 });
    unlisten();
    await vi.waitFor(() => expect(conifer.historyBacklog).toBe(0), { timeout: 30_000 });
    const { items } = await history.list("/peer-ok.txt");
    expect(items.map((i) => [i.author, i.source])).toEqual([["peer-2", "api"]]);
  });

  it("records a change without any intent as external right away", async () => {
    const { stat } = await other.create("/no-intent.txt", Buffer.from("z"));
    await conifer.drain();
    expect(await history.byMzxid("/no-intent.txt", stat.mzxid)).toMatchObject({
      source: "external",
      author: "external",
    });
  });

  it("does not version ephemeral nodes", async () => {
    await other.create("/svc-registration", Buffer.from("host:1"), { mode: "EPHEMERAL" });
    await conifer.drain();
    expect((await history.list("/svc-registration")).items).toEqual([]);
  });
});

describe("change feed", () => {
  it("announces a burst of changes once each, in increasing mzxid order, ending at the final state", async () => {
    const notices: ChangeNotice[] = [];
    const stop = conifer.listen({ changed: (n) => n.path === "/burst.txt" && notices.push(n) });
    await other.create("/burst.txt", Buffer.from("0"));
    const writes = Array.from({ length: 20 }, (_, i) => other.setData("/burst.txt", Buffer.from(String(i + 1)), i));
    const last = (await Promise.all(writes)).at(-1)!.stat;
    await waitFor(() => Promise.resolve(notices.some((n) => n.mzxid === last.mzxid.toString())), "final notice");
    await conifer.drain();
    stop();
    const zx = notices.map((n) => BigInt(n.mzxid));
    for (let i = 1; i < zx.length; i++) expect(zx[i]! > zx[i - 1]!).toBe(true);
    expect(notices.at(-1)).toMatchObject({ exists: true, version: 20 });
    expect((await conifer.fetch("/burst.txt")).data).toBe("20");
  });

  it("orders delete and re-create: the deletion's zxid sorts between the two versions", async () => {
    const notices: ChangeNotice[] = [];
    const stop = conifer.listen({ changed: (n) => n.path === "/flip.txt" && notices.push(n) });
    for (let round = 0; round < 5; round++) {
      const ops = [other.create("/flip.txt", Buffer.from(`v${round}`)), other.delete("/flip.txt")];
      await Promise.all(ops);
    }
    const final = await other.create("/flip.txt", Buffer.from("final"));
    await waitFor(
      () => Promise.resolve(notices.some((n) => n.mzxid === final.stat.mzxid.toString())),
      "final create notice",
    );
    await conifer.drain();
    stop();
    const zx = notices.map((n) => BigInt(n.zxid));
    for (let i = 1; i < zx.length; i++) expect(zx[i]! > zx[i - 1]!).toBe(true);
    expect(notices.at(-1)).toMatchObject({ exists: true, version: 0, mzxid: final.stat.mzxid.toString() });
    expect((await conifer.fetch("/flip.txt")).data).toBe("final");
  });
});
