/**
 * kill -9 at random moments, engine level. A child opens the Engine and runs six concurrent
 * sessions doing creates, setData, multi, sequential creates and deletes, printing each
 * acknowledged op with its Stat. After every SIGKILL the parent reopens the Engine on the same
 * data dir and checks that every acknowledged op is there (at least the acked version, the
 * acked data when the version matches, deletes stay deleted, multis whole) and that the tree
 * is consistent; zxids must never move backwards across restarts.
 */
import { describe, expect, it } from "vitest";

import { Engine } from "../src/index.ts";
import { runChild } from "./fixtures/child.ts";
import { bundleFixturesForSuite, dataDirsPerTest } from "./fixtures/hooks.ts";
import { killPlan, writeRounds } from "./fixtures/kill-rounds.ts";
import { AckLedger, checkEngine } from "./fixtures/engine-check.ts";
import type { EngineAck } from "./fixtures/engine-model.ts";

const ROUNDS = 24;
const dataDir = dataDirsPerTest("crash-engine");
const fixtures = bundleFixturesForSuite("crash-engine-bundle", ["engine-writer.ts"]);

const SCHEDULE = { spawnMaxMs: 600, ackMaxMs: 200 };
const WRITE_ROUNDS = writeRounds(ROUNDS);

describe("crash safety of the Engine (SIGKILL)", () => {
  it(`keeps every acknowledged operation across ${ROUNDS} kill -9 rounds`, { timeout: 240_000 }, async () => {
    const dir = await dataDir();
    const writer = fixtures.path("engine-writer.ts");
    const ledger = new AckLedger();
    let lastSeenZxid = 0n;
    let roundsWithAcks = 0;
    let nodes = 0;
    let fromSnapshot = 0;
    let killedBeforeReady = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const run = await runChild(writer, [dir, String(round)], killPlan(round, SCHEDULE));
      expect(run.killed, `round ${round}: child exited on its own (code ${run.code}):\n${run.stderr}`).toBe(true);
      const ready = run.lines.find((l) => l.startsWith("ready "));
      if (!ready) killedBeforeReady++;
      if (ready) {
        // the child's recovered zxid: never behind what the previous reopen had seen
        const zxid = BigInt(ready.slice(6));
        expect(zxid >= lastSeenZxid, `round ${round}: child opened at zxid ${zxid} after ${lastSeenZxid}`).toBe(true);
      }
      const acks = run.lines.filter((l) => l.startsWith("ack ")).map((l) => JSON.parse(l.slice(4)) as EngineAck);
      for (const a of acks) ledger.add(a);
      if (acks.length > 0) roundsWithAcks++;

      const engine = await Engine.open({ dataDir: dir, snapshotEveryTxns: 120, snapRetainCount: 2 });
      try {
        const recovery = engine.stats().recovery;
        if (recovery.snapshotZxid !== null) fromSnapshot++;
        expect(recovery.issues, `round ${round}: recovery found more than a torn tail`).toBeLessThanOrEqual(1);
        expect(engine.lastZxid >= lastSeenZxid, `round ${round}: zxid went backwards`).toBe(true);
        nodes = await checkEngine(engine, ledger, `round ${round}`);
        lastSeenZxid = engine.lastZxid;
      } finally {
        await engine.close();
      }
    }
    // never vacuous: every round killed among writes had acknowledged operations to check
    expect(roundsWithAcks).toBeGreaterThanOrEqual(WRITE_ROUNDS);
    console.log(
      `crash-engine: ${ROUNDS} rounds (${killedBeforeReady} killed before ready), ${ledger.count} acks, ${nodes} nodes, ` +
        `last zxid ${lastSeenZxid}, ${fromSnapshot} recoveries from a snapshot`,
    );
  });
});
