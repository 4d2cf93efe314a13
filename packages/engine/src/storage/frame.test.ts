/** Framing: round trips, and every kind of damage to a frame is rejected rather than misread. */
import { describe, expect, it } from "vitest";

import {
  decodeFrame,
  decodeSegmentHeader,
  encodeFrame,
  encodeSegmentHeader,
  FRAME_HEADER_BYTES,
  SEGMENT_HEADER_BYTES,
} from "./frame.ts";

describe("record frames", () => {
  it("round-trips records of any size, back to back", () => {
    const records = [0, 1, 17, 4096, 70_000].map((n, i) => ({
      zxid: BigInt(i + 1) * 0x1_0000_0001n,
      payload: Buffer.alloc(n, i + 1),
    }));
    const buf = Buffer.concat(records.map(encodeFrame));
    let at = 0;
    let after = -1n;
    for (const expected of records) {
      const frame = decodeFrame(buf, at, after);
      if (!frame.ok) throw new Error(frame.reason);
      expect(frame.record.zxid).toBe(expected.zxid);
      expect(Buffer.from(frame.record.payload).equals(expected.payload)).toBe(true);
      at = frame.end;
      after = frame.record.zxid;
    }
    expect(at).toBe(buf.length);
  });

  it("rejects every truncation of a frame", () => {
    const frame = encodeFrame({ zxid: 7n, payload: Buffer.from("hello world") });
    for (let cut = 0; cut < frame.length; cut++) expect(decodeFrame(frame.subarray(0, cut), 0, 0n).ok).toBe(false);
    expect(decodeFrame(frame, 0, 0n).ok).toBe(true);
  });

  it("rejects a flip of any single bit", () => {
    const frame = encodeFrame({ zxid: 7n, payload: Buffer.from("hello world") });
    for (let byte = 0; byte < frame.length; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        const damaged = Buffer.from(frame);
        damaged[byte]! ^= 1 << bit;
        expect(decodeFrame(damaged, 0, 0n).ok, `byte ${byte} bit ${bit}`).toBe(false);
      }
    }
  });

  it("rejects a whole frame whose zxid does not move forward", () => {
    const frame = encodeFrame({ zxid: 7n, payload: Buffer.from("x") });
    expect(decodeFrame(frame, 0, 6n).ok).toBe(true);
    expect(decodeFrame(frame, 0, 7n).ok).toBe(false);
    expect(FRAME_HEADER_BYTES).toBe(16);
  });
});

describe("segment header", () => {
  it("round-trips prevZxid, including -1 for an empty history", () => {
    expect(decodeSegmentHeader(encodeSegmentHeader(-1n))).toBe(-1n);
    expect(decodeSegmentHeader(encodeSegmentHeader(0x5_0000_0003n))).toBe(0x5_0000_0003n);
  });

  it("rejects short or damaged headers", () => {
    const header = encodeSegmentHeader(42n);
    for (let cut = 0; cut < SEGMENT_HEADER_BYTES; cut++)
      expect(decodeSegmentHeader(header.subarray(0, cut))).toBeNull();
    for (let byte = 0; byte < 20; byte++) {
      const damaged = Buffer.from(header);
      damaged[byte]! ^= 0x10;
      expect(decodeSegmentHeader(damaged)).toBeNull();
    }
  });
});
