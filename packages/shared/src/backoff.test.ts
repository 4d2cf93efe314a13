import { describe, expect, it } from "vitest";
import { Backoff, backoffCap, fullJitterDelay } from "./backoff.ts";

const opts = { minDelayMs: 100, maxDelayMs: 5_000 };

describe("backoff", () => {
  it("doubles the cap per attempt up to the maximum", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((n) => backoffCap(n, opts))).toEqual([
      100, 200, 400, 800, 1600, 3200, 5000, 5000,
    ]);
  });

  it("draws the delay uniformly between 0 and the cap (full jitter)", () => {
    expect(fullJitterDelay(3, opts, () => 0)).toBe(0);
    expect(fullJitterDelay(3, opts, () => 0.5)).toBe(400);
    expect(fullJitterDelay(3, opts, () => 0.999999)).toBe(799);
    for (let i = 0; i < 200; i++) {
      const d = fullJitterDelay(i % 10, opts);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(backoffCap(i % 10, opts));
    }
  });

  it("Backoff counts attempts across next() calls and starts over after reset()", () => {
    const b = new Backoff(opts, () => 0.5);
    expect([b.next(), b.next(), b.next()]).toEqual([50, 100, 200]);
    b.reset();
    expect(b.next()).toBe(50);
  });
});
