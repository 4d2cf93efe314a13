/** Unit tests for stored-vs-reported znode fields: sequence suffixes and the cversion formula. */
import { describe, expect, it } from "vitest";
import { CONTAINER_OWNER, isEphemeralOwner, sequenceSuffix, statOf, ttlOf, ttlOwner } from "./znode.ts";
import type { ZNode } from "./znode.ts";

const node = (over: Partial<ZNode> = {}): ZNode => ({
  data: null,
  acl: [],
  czxid: 1n,
  mzxid: 1n,
  pzxid: 1n,
  ctime: 5,
  mtime: 5,
  version: 0,
  cversion: 0,
  aversion: 0,
  owner: 0n,
  children: new Set(),
  ...over,
});

describe("sequenceSuffix", () => {
  it("formats like Java %010d, including after the int32 wrap", () => {
    expect(sequenceSuffix(0)).toBe("0000000000");
    expect(sequenceSuffix(7)).toBe("0000000007");
    expect(sequenceSuffix(2147483647)).toBe("2147483647");
    expect(sequenceSuffix(-2147483648)).toBe("-2147483648");
    expect(sequenceSuffix(-5)).toBe("-000000005");
  });
});

describe("statOf", () => {
  it("reports cversion as 2*C - numChildren", () => {
    expect(statOf(node({ cversion: 0, children: new Set(["zookeeper"]) })).cversion).toBe(-1);
    // create n0, n1, x, n3 then delete x: C = 4, 3 children -> 5
    expect(statOf(node({ cversion: 4, children: new Set(["n0", "n1", "n3"]) })).cversion).toBe(5);
  });

  it("reports container and TTL owners as 0, sessions as themselves", () => {
    expect(statOf(node({ owner: CONTAINER_OWNER })).ephemeralOwner).toBe(0n);
    expect(statOf(node({ owner: ttlOwner(1000) })).ephemeralOwner).toBe(0n);
    expect(statOf(node({ owner: 0x1234n })).ephemeralOwner).toBe(0x1234n);
    expect(ttlOf(ttlOwner(2 ** 40 - 1))).toBe(2 ** 40 - 1);
    expect(isEphemeralOwner(CONTAINER_OWNER)).toBe(false);
    expect(isEphemeralOwner(ttlOwner(5))).toBe(false);
    expect(isEphemeralOwner(0x100000000000001n)).toBe(true);
  });

  it("distinguishes nothing between null and empty data in dataLength", () => {
    expect(statOf(node({ data: null })).dataLength).toBe(0);
    expect(statOf(node({ data: Buffer.from("abc") })).dataLength).toBe(3);
  });
});
