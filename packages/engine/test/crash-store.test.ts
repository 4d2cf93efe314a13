/**
 * kill -9 at random moments, store level. A child appends with 32 concurrent appenders and
 * snapshots every 150 records; after each SIGKILL the parent reopens the same data dir and
 * checks: every acknowledged record is there, the history is exactly snapshot + contiguous
 * records with the right payloads, the log only ever lost an unacknowledged torn tail (no
 * corruption, no snapshot damage), and the recovered zxid never moves backwards.
 */
import { describe, expect, it } from "vitest";

import { DurableStore } from "../src/storage/durable-store.ts";
import { runChild } from "./fixtures/child.ts";
import { bundleFixturesForSuite, dataDirsPerTest } from "./fixtures/hooks.ts";
import { killPlan, writeRounds } from "./fixtures/kill-rounds.ts";
import { crashPayload, crashSnapshot } from "./fixtures/store-model.ts";

const ROUNDS = 24;
const dataDir = dataDirsPerTest("crash-store");
const fixtures = bundleFixturesForSuite("crash-store-bundle", ["store-writer.ts"]);

const SCHEDULE = { spawnMaxMs: 400, ackMaxMs: 120 };
const WRITE_ROUNDS = writeRounds(ROUNDS);

describe("crash safety of DurableStore (SIGKILL)", () => {
  it(`keeps every acknowledged append across ${ROUNDS} kill -9 rounds`, { timeout: 180_000 }, async () => {
    const dir = await dataDir();
    const writer = fixtures.path("store-writer.ts");
    const config = JSON.stringify({ appenders: 32, snapshotEvery: 150, payloadBytes: 64, snapRetainCount: 2 });
    let highestAcked = 0n;
    let lastRecovered = 0n;
    let totalAcks = 0;
    let roundsWithAcks = 0;
    let tornTails = 0;
    let fromSnapshot = 0;
    let killedBeforeReady = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const run = await runChild(writer, [dir, config], killPlan(round, SCHEDULE));
      // the child never stops by itself: anything but our SIGKILL is a failure worth seeing
      expect(run.killed, `round ${round}: child exited on its own (code ${run.code}):\n${run.stderr}`).toBe(true);
      const acked = run.lines.filter((l) => l.startsWith("ack ")).map((l) => BigInt(l.slice(4)));
      totalAcks += acked.length;
      if (!run.lines.some((l) => l.startsWith("ready "))) killedBeforeReady++;
      if (acked.length > 0) roundsWithAcks++;
      for (const z of acked) if (z > highestAcked) highestAcked = z;

      const { store, recovered } = await DurableStore.open({ dir, snapRetainCount: 2 });
      try {
        const context = `round ${round}: ${JSON.stringify(recovered.issues)}`;
        for (const issue of recovered.issues) expect(issue.kind, context).toBe("torn-tail");
        if (recovered.truncatedBytes > 0) tornTails++;
        const snap = recovered.snapshot;
        if (snap) fromSnapshot++;
        if (snap) expect(Buffer.from(snap.payload).equals(crashSnapshot(snap.zxid)), context).toBe(true);
        let expected = (snap?.zxid ?? 0n) + 1n;
        for (const r of recovered.records) {
          expect(r.zxid, context).toBe(expected);
          expect(Buffer.from(r.payload).equals(crashPayload(r.zxid, 64)), `${context} payload of ${r.zxid}`).toBe(true);
          expected++;
        }
        const last = expected - 1n;
        expect(last >= highestAcked, `${context}: recovered up to ${last}, but ${highestAcked} was acknowledged`).toBe(
          true,
        );
        expect(last >= lastRecovered, `${context}: zxid went backwards ${lastRecovered} -> ${last}`).toBe(true);
        lastRecovered = last;
      } finally {
        await store.close();
      }
    }
    // never vacuous: every round killed among writes had acknowledged appends to check
    expect(roundsWithAcks).toBeGreaterThanOrEqual(WRITE_ROUNDS);
    console.log(
      `crash-store: ${ROUNDS} rounds (${killedBeforeReady} killed before ready), ${totalAcks} acks, last zxid ${lastRecovered}, ` +
        `${fromSnapshot} recoveries from a snapshot, ${tornTails} torn tails cut`,
    );
  });
});
