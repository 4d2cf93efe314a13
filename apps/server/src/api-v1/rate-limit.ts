/**
 * Per-credential rate limit of /api/v1 (a token bucket per API token or signed-in user): a
 * script in a loop cannot starve the server. `perMinute` requests refill evenly over a minute;
 * a refused request learns when the next one will be let through (Retry-After).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** 0 when `key` may go on, else the milliseconds until it may */
  take(key: string): number {
    const t = this.now();
    const rate = this.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.perMinute, at: t };
    b.tokens = Math.min(this.perMinute, b.tokens + (t - b.at) * rate);
    b.at = t;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    // full buckets are dropped now and then so idle keys do not accumulate
    if (this.buckets.size > 10_000)
      for (const [k, v] of this.buckets) if (v.tokens >= this.perMinute - 1) this.buckets.delete(k);
    return Math.ceil((1 - b.tokens) / rate);
  }
}
