/** Unit tests for the jute codec: every field type round-trips, nulls are -1, frames are length-prefixed. */
import { describe, expect, it } from "vitest";
import { FrameSplitter, JuteReader, JuteWriter } from "./jute.ts";

describe("jute", () => {
  it("round-trips ints, longs, booleans, buffers, strings and vectors", () => {
    const w = new JuteWriter()
      .int(-5)
      .long(-0x7fffffffffffffffn)
      .bool(true)
      .buffer(Buffer.from([1, 2]))
      .buffer(null)
      .ustring("ünï")
      .ustring(null)
      .vector(["a", "bc"], (ww, s) => void ww.ustring(s))
      .vector(null, () => {});
    const frame = w.frame();
    expect(frame.readInt32BE(0)).toBe(frame.length - 4);
    const r = new JuteReader(frame.subarray(4));
    expect(r.int()).toBe(-5);
    expect(r.long()).toBe(-0x7fffffffffffffffn);
    expect(r.bool()).toBe(true);
    expect([...(r.buffer() ?? [])]).toEqual([1, 2]);
    expect(r.buffer()).toBeNull();
    expect(r.ustring()).toBe("ünï");
    expect(r.ustring()).toBeNull();
    expect(r.vector((rr) => rr.ustring())).toEqual(["a", "bc"]);
    expect(r.vector((rr) => rr.int())).toBeNull();
    expect(r.remaining).toBe(0);
  });

  it("grows past its initial buffer and refuses truncated records", () => {
    const big = Buffer.alloc(10_000, 7);
    const frame = new JuteWriter().buffer(big).frame();
    expect(new JuteReader(frame.subarray(4)).buffer()?.equals(big)).toBe(true);
    expect(() => new JuteReader(frame.subarray(4, 100)).buffer()).toThrow(RangeError);
  });

  it("splits a byte stream into frames whatever the chunk boundaries", () => {
    const stream = Buffer.concat([
      new JuteWriter().int(1).frame(),
      new JuteWriter().ustring("two").frame(),
      new JuteWriter().frame(),
    ]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const f = new FrameSplitter();
      const frames = [...f.push(stream.subarray(0, cut)), ...f.push(stream.subarray(cut))];
      expect(frames.map((b) => b.length)).toEqual([4, 7, 0]);
    }
    expect(() => new FrameSplitter().push(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toThrow(RangeError);
  });
});
