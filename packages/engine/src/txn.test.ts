/** The log's txn encoding: the setData shortcut writes exactly what the generic encoder writes. */
import { describe, expect, it } from "vitest";

import { encodeValue } from "./codec.ts";
import { decodeTxn, encodeTxn, type Txn } from "./txn.ts";

const generic = (txn: Txn) => Buffer.from(JSON.stringify(encodeValue(txn)), "utf8");

describe("encodeTxn", () => {
  it.each([
    ["1 KB of data", "/bench/set-1", Buffer.alloc(1024, "v")],
    ["no data", "/a", null],
    ["empty data", "/a", Buffer.alloc(0)],
    ["a path with quotes, a backslash and non-ASCII", '/q"u\\o/té/☃', Buffer.from([0, 255, 10, 34])],
  ])("setData with %s: the same bytes as the generic encoder, and it reads back", (_, path, data) => {
    const txn: Txn = { t: "setData", path, data, version: 7, zxid: 2n ** 40n + 3n, time: 1_733_300_000_123 };
    const bytes = encodeTxn(txn);
    expect(Buffer.from(bytes).equals(generic(txn))).toBe(true);
    expect(decodeTxn(bytes)).toEqual(txn);
  });
});
