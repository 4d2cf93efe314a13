/**
 * The scheduler's heartbeat: every server runs `tick` every `intervalMs`, one round at a time
 * (a slow round is not stacked on), without keeping the process alive.
 */
import type { Logger } from "../logger.ts";

export function startTicking(tick: () => Promise<unknown>, intervalMs: number, log: Logger): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    tick()
      .catch((err: unknown) => log.error("scheduled publish round failed", err))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
