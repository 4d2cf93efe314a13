/**
 * Reconnect delays: exponential backoff with "full jitter" (a uniformly random delay between 0
 * and the exponential cap). Full jitter matters when a server restarts with hundreds of SDK
 * instances attached: they spread their reconnects over the whole window instead of arriving
 * in synchronized waves.
 */

export interface BackoffOptions {
  /** cap of the first attempt, and the base the cap doubles from */
  minDelayMs: number;
  /** the cap never grows past this */
  maxDelayMs: number;
}

/** The exponential cap for attempt n (0-based): min(max, min * 2^n). */
export function backoffCap(attempt: number, options: BackoffOptions): number {
  const exp = Math.min(attempt, 30); // 2^30 * any sane base is already past any max
  return Math.min(options.maxDelayMs, options.minDelayMs * 2 ** exp);
}

/** A delay drawn uniformly from [0, cap(attempt)]; `random` is injectable for tests. */
export function fullJitterDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCap(attempt, options));
}

/**
 * The attempt counter of one reconnecting link (the SDK's socket, the console's socket, the
 * ZooKeeper wire client between rounds of its host list): `next()` is the delay before the next
 * attempt, `reset()` once a connection worked.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /** the delay before the next attempt; each call counts one more attempt */
  next(): number {
    return fullJitterDelay(this.attempt++, this.options, this.random);
  }

  reset(): void {
    this.attempt = 0;
  }
}
