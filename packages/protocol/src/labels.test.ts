import { describe, expect, it } from "vitest";
import { MAX_LABELS, zLabels } from "./labels.ts";
import { zHello } from "./notices.ts";

const ok = (labels: unknown) => zLabels.safeParse(labels).success;

describe("zLabels", () => {
  it("accepts plain, prefixed and empty-valued labels", () => {
    expect(ok({ region: "eu-1", canary: "true", "conifer.io/tier": "gold", empty: "" })).toBe(true);
    expect(ok({ a: "b", "A_b.c-D": "x.Y_z-9" })).toBe(true);
    expect(ok({})).toBe(true);
  });

  it("rejects bad names", () => {
    for (const key of ["", "-a", "a-", "a b", "a=b", "x".repeat(64), "/a", "a/", "a/b/c", "UPPER.io/a", "-x.io/a"])
      expect(ok({ [key]: "v" }), key).toBe(false);
    expect(ok({ ["x".repeat(63)]: "v" })).toBe(true);
  });

  it("rejects bad values", () => {
    for (const value of ["-a", "a_", "a b", "a/b", "y".repeat(64)]) expect(ok({ k: value }), value).toBe(false);
    expect(ok({ k: "y".repeat(63) })).toBe(true);
    expect(ok({ k: 1 })).toBe(false);
  });

  it("caps the count", () => {
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
    expect(ok(many(MAX_LABELS))).toBe(true);
    expect(ok(many(MAX_LABELS + 1))).toBe(false);
  });

  it("names the offending key in the message", () => {
    const res = zLabels.safeParse({ "bad key": "v" });
    expect(res.success).toBe(false);
    expect(res.error?.issues[0]?.message).toContain('"bad key"');
  });
});

describe("zHello labels", () => {
  const hello = { app: "a", host: "h", pid: 1, instanceId: "abcdefgh" };
  it("is optional and validated", () => {
    expect(zHello.safeParse(hello).success).toBe(true);
    expect(zHello.safeParse({ ...hello, labels: { region: "eu-1" } }).success).toBe(true);
    expect(zHello.safeParse({ ...hello, labels: { "re gion": "eu-1" } }).success).toBe(false);
  });
});
