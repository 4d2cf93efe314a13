/**
 * Two server processes' recorders over one real SQLite history store, driven by hand so their
 * steps interleave exactly where a race was seen in CI: the process that deleted a node records
 * its row (and completes its intent) while the other, which only observed the delete, is between
 * reading the latest row and looking for the intent. History must still hold one delete row,
 * attributed to its author.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openHistoryStore, type HistoryStore } from "@conifer/history";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HistoryPort } from "./history-port.ts";
import { HistoryRecorder } from "./history-recorder.ts";
import { silentLogger } from "./logger.ts";

let dir: string;
let store: HistoryStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "conifer-recorder-"));
  store = await openHistoryStore({ url: `file:${join(dir, "history.db")}` });
});

afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const options = { graceMs: 60_000, sharedBackend: true };

describe("HistoryRecorder with a peer sharing the store", () => {
  it("a delete the peer records while we look for its intent is recorded once, by its author", async () => {
    const path = "/race/deleted.json";
    await store.record({
      path,
      version: 0,
      mzxid: 10n,
      czxid: 10n,
      op: "create",
      content: "{}",
      author: "alice",
      source: "console",
    });
    const writer = new HistoryRecorder(store, silentLogger, options);
    const intent = await store.beginIntent({ path, op: "delete", content: "", author: "alice", source: "console" });

    // the observer's store: its first intent lookup lets the writer finish first
    let peerDone: Promise<unknown> | undefined;
    const observed: HistoryPort = Object.create(store) as HistoryPort;
    observed.pendingIntents = async (query) => {
      peerDone ??= writer.recordOwn(intent.id, {
        path,
        version: 0,
        mzxid: 12n, // the delete's own zxid, which only the writer knows
        czxid: 0n,
        op: "delete",
        content: "",
        author: "alice",
        source: "console",
      });
      await peerDone;
      return store.pendingIntents(query);
    };
    const observer = new HistoryRecorder(observed, silentLogger, options);
    await observer.observe({ path, exists: false, zxid: 0n });

    const rows = (await store.list(path)).items;
    expect(rows.map((r) => `${r.op}:${r.author}`)).toEqual(["delete:alice", "create:alice"]);
  });
});
