/**
 * Named steps of a release's publish where a crash matters (issue 14, item 7): a test stops the
 * server exactly there and SIGKILLs it, instead of racing a timer. Production never installs a
 * hook, so `pauseAt` returns at once; this file is the one indirection the code carries for it.
 * The hook that pauses lives in the `@conifer/core/testing` entry, loaded only by tests.
 */
export const PAUSE_POINTS = [
  /** intents recorded, the multi not sent */
  "publish:before-multi",
  /** the multi applied, no history row and no release recorded yet */
  "publish:after-multi",
] as const;

export type PausePoint = (typeof PAUSE_POINTS)[number];

let hook: ((point: PausePoint) => Promise<void>) | null = null;

/** Resolves at once unless a test installed a hook for `point`. */
export async function pauseAt(point: PausePoint): Promise<void> {
  if (hook) await hook(point);
}

/** For `@conifer/core/testing` only. */
export function installPauseHook(h: ((point: PausePoint) => Promise<void>) | null): void {
  hook = h;
}
