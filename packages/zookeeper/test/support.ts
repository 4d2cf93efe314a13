/**
 * Helpers shared by this package's integration suites.
 */
import { fourLetterWord } from "../src/fourLetter.ts";
import { vi } from "vitest";
import type { Ensemble } from "../src/testing/index.ts";

/** polls every running member's `dump` until none lists the session any more (it expired) */
export async function waitUntilSessionGone(ensemble: Ensemble, sessionId: bigint, ceilingMs = 60_000): Promise<void> {
  const hex = `0x${sessionId.toString(16)}`;
  await vi.waitFor(
    async () => {
      const dumps = await Promise.all(
        ensemble.members
          .filter((m) => m.running)
          .map((m) => fourLetterWord("127.0.0.1", m.clientPort, "dump").catch(() => "")),
      );
      if (dumps.some((d) => d.toLowerCase().includes(hex)))
        throw new Error(`session ${hex} still known to the ensemble after ${ceilingMs} ms`);
    },
    { timeout: ceilingMs, interval: 100 },
  );
}
