/**
 * Waiting in tests for what arrives asynchronously (a delivery, a reconnect, a report): poll a
 * condition until it holds, with a deadline that only catches hangs, never a speed target.
 */

/**
 * Polls `check` every `intervalMs` until it returns a truthy value, which it resolves with; a
 * throw counts as "not yet" and is quoted if the deadline passes.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  what = "condition",
  timeoutMs = 30_000,
  intervalMs = 20,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
