/**
 * kill -9 while a snapshot is being streamed to disk. Snapshots are written in slices while
 * requests go on, so a crash can land with a half-written snapshot temp file and writes
 * acknowledged after the snapshot began. The child (engine-writer, freeze-in-snapshot mode)
 * blocks itself at exactly that point, so every round is killed mid-snapshot; the reopened
 * engine must drop the temp file, recover every acknowledged operation and be consistent.
 */
import { access, readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import { Engine } from "../src/index.ts";
import { runChild } from "./fixtures/child.ts";
import { AckLedger, checkEngine } from "./fixtures/engine-check.ts";
import type { EngineAck } from "./fixtures/engine-model.ts";
import { bundleFixturesForSuite, dataDirsPerTest } from "./fixtures/hooks.ts";

const ROUNDS = 3;
const fixtures = bundleFixturesForSuite("crash-snap-bundle", ["engine-writer.ts"]);
const dataDir = dataDirsPerTest("crash-snap");

describe("crash safety of streamed snapshots (SIGKILL mid-snapshot)", () => {
  it(
    `keeps every acknowledged operation when killed while a snapshot is half written, ${ROUNDS} rounds`,
    { timeout: 240_000 },
    async () => {
      const dir = await dataDir();
      const writer = fixtures.path("engine-writer.ts");
      const ledger = new AckLedger();
      for (let round = 0; round < ROUNDS; round++) {
        const run = await runChild(
          writer,
          [dir, String(round), "freeze-in-snapshot"],
          { afterLine: { prefix: "frozen ", ms: 0 } },
          120_000,
        );
        const frozen = run.lines.find((l) => l.startsWith("frozen "));
        expect(frozen, `round ${round}: the child never caught a snapshot in progress:\n${run.stderr}`).toBeDefined();
        expect(run.killed).toBe(true);
        const acks = run.lines.filter((l) => l.startsWith("ack ")).map((l) => JSON.parse(l.slice(4)) as EngineAck);
        expect(acks.length).toBeGreaterThan(0);
        for (const a of acks) ledger.add(a);
        // the kill really landed mid-snapshot: its temp file is on disk, partly written
        const temp = frozen!.slice("frozen ".length);
        await access(join(dir, temp));

        const engine = await Engine.open({ dataDir: dir, snapshotEveryTxns: 600, snapRetainCount: 2 });
        try {
          expect(
            engine.stats().recovery.issues,
            `round ${round}: recovery found more than a torn tail`,
          ).toBeLessThanOrEqual(1);
          expect((await readdir(dir)).filter((n) => n.endsWith(".tmp"))).toEqual([]);
          await checkEngine(engine, ledger, `round ${round}`);
        } finally {
          await engine.close();
        }
      }
      console.log(`crash-snapshot: ${ROUNDS} rounds killed mid-snapshot, ${ledger.count} acks checked`);
    },
  );
});
