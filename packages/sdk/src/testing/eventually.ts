/**
 * Waiting in tests for what arrives asynchronously (a delivery, a reconnect, a report): the
 * runner's vi.waitFor on a condition, with a deadline that only catches hangs, never a speed target.
 */
import { vi } from "vitest";

/**
 * Polls `check` every `intervalMs` until it returns a truthy value, which it resolves with; a
 * throw counts as "not yet" and is quoted if the deadline passes.
 */
export function eventually<T>(
  check: () => T | Promise<T>,
  what = "condition",
  timeoutMs = 30_000,
  intervalMs = 20,
): Promise<NonNullable<T>> {
  return vi.waitFor(
    async () => {
      let v: T;
      try {
        v = await check();
      } catch (e) {
        throw new Error(`timed out waiting for ${what}: ${String(e)}`, { cause: e });
      }
      if (!v) throw new Error(`timed out waiting for ${what}`);
      return v;
    },
    { timeout: timeoutMs, interval: intervalMs },
  );
}
