/**
 * Test-only entry of @conifer/core: never imported by production code. `pauseProcessAt` makes
 * this process stop for good at one publish step (pause-points.ts) and say so on stdout, so a
 * test can SIGKILL it in exactly that state; the server's main.ts loads it only when
 * CONIFER_TEST_PAUSE_AT is set.
 */
import { installPauseHook, PAUSE_POINTS, type PausePoint } from "../pause-points.ts";

/** The line printed when the process reaches the point, e.g. "conifer-test-paused publish:after-multi". */
export const PAUSED_MARKER = "conifer-test-paused";

export { PAUSE_POINTS, type PausePoint };

/** Every later arrival at `point` hangs forever, after printing the marker line. */
export function pauseProcessAt(point: string, write: (line: string) => void = (l) => process.stdout.write(l)): void {
  if (!isPausePoint(point)) throw new Error(`unknown pause point "${point}" (one of: ${PAUSE_POINTS.join(", ")})`);
  installPauseHook(async (at) => {
    if (at !== point) return;
    write(`${PAUSED_MARKER} ${at}\n`);
    await new Promise<never>(() => {});
  });
}

/** Removes the hook (unit tests that pause in-process). */
export function clearPause(): void {
  installPauseHook(null);
}

function isPausePoint(p: string): p is PausePoint {
  return (PAUSE_POINTS as readonly string[]).includes(p);
}
