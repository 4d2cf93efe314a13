import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.ts";
import { BUCKETS, bucketOf, isTargeted, parseGrayTarget, type TargetedInstance } from "./gray-target.ts";

const labelsOf = (i: number): Record<string, string> =>
  i % 4 === 0 ? { region: "eu-1", canary: "true" } : { region: "us-1" };
const fleet: TargetedInstance[] = Array.from({ length: 2000 }, (_, i) => ({
  instanceId: `inst-${i}`,
  host: `host-${i % 50}`,
  labels: labelsOf(i),
}));

const reached = (grayId: string, input: Parameters<typeof parseGrayTarget>[0]) => {
  const t = parseGrayTarget(input);
  return new Set(fleet.filter((x) => isTargeted(grayId, t, x)).map((x) => x.instanceId));
};

describe("gray targets", () => {
  it("buckets are stable and spread over 0..9,999", () => {
    expect(bucketOf("g1", "inst-7")).toBe(bucketOf("g1", "inst-7"));
    const buckets = fleet.map((x) => bucketOf("g1", x.instanceId));
    expect(Math.min(...buckets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...buckets)).toBeLessThan(BUCKETS);
    // 2,000 draws over 10 deciles: each holds roughly a tenth (a loose bound, not a timing)
    for (let d = 0; d < 10; d++) {
      const n = buckets.filter((b) => Math.floor(b / 1000) === d).length;
      expect(n).toBeGreaterThan(120);
      expect(n).toBeLessThan(280);
    }
  });

  it("a growing percentage only adds instances", () => {
    const at10 = reached("g1", { percent: 10 });
    const at25 = reached("g1", { percent: 25 });
    expect(at10.size).toBeGreaterThan(120);
    expect(at10.size).toBeLessThan(280);
    for (const id of at10) expect(at25.has(id)).toBe(true);
    expect(reached("g1", { percent: 100 }).size).toBe(fleet.length);
    expect(reached("g1", { percent: 0 }).size).toBe(0);
  });

  it("is salted per gray release", () => {
    expect(reached("g1", { percent: 10 })).not.toEqual(reached("g2", { percent: 10 }));
  });

  it("applies the percentage to the instances the selector matches", () => {
    const all = reached("g1", { selector: "region=eu-1" });
    expect(all.size).toBe(500);
    const some = reached("g1", { selector: "region=eu-1", percent: 50 });
    for (const id of some) expect(all.has(id)).toBe(true);
    expect(some.size).toBeGreaterThan(180);
    expect(some.size).toBeLessThan(320);
  });

  it("always reaches named instances and hosts, and nobody else without a selector", () => {
    const got = reached("g1", { instances: ["inst-1"], hosts: ["host-2"], percent: 100 });
    expect(got).toEqual(new Set(["inst-1", ...fleet.filter((x) => x.host === "host-2").map((x) => x.instanceId)]));
  });

  it("refuses a target that is empty, out of range or not a selector", () => {
    expect(() => parseGrayTarget({})).toThrow(ConfigError);
    expect(() => parseGrayTarget({ percent: 101 })).toThrow(/0-100/);
    expect(() => parseGrayTarget({ percent: 12.345 })).toThrow(/two decimals/);
    // two decimals that binary floating point cannot hold exactly are fine
    expect(parseGrayTarget({ percent: 0.29 }).cutoff).toBe(29);
    expect(parseGrayTarget({ percent: 33.33 }).cutoff).toBe(3333);
    expect(() => parseGrayTarget({ percent: Number.NaN })).toThrow(/0-100/);
    expect(() => parseGrayTarget({ selector: "a=b,,c" })).toThrow(/empty term/);
  });
});
