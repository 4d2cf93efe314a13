/**
 * Unit tests of the per-path ordering rules with a scripted host (no socket): which hints lead
 * to a fetch, and which fetched snapshots are applied, with 64-bit mzxids.
 */
import { describe, expect, it } from "vitest";
import type { ConfigSnapshot } from "@conifer/protocol";
import { PathTracker, type Applied, type TrackerHost } from "./path-tracker.ts";

function scriptedHost(answers: ConfigSnapshot[]) {
  const applied: Applied[] = [];
  let fetches = 0;
  const host: TrackerHost = {
    fetch: () => {
      fetches++;
      const next = answers.shift();
      if (!next) return Promise.reject(new Error("no more answers"));
      return Promise.resolve(next);
    },
    isReady: () => true,
    epoch: () => 1,
    decode: (s) => ({ ok: true, value: s.data }),
    onApplied: (_t, a) => applied.push(a),
    onRejected: () => {},
    onSettled: () => {},
    pause: async () => {},
  };
  return { host, applied, fetches: () => fetches };
}

const snap = (mzxid: string, data = mzxid, version = 1): ConfigSnapshot => ({
  path: "/p",
  exists: true,
  version,
  mzxid,
  data,
  format: "text",
});
const settle = () => new Promise((r) => setTimeout(r, 10));

describe("PathTracker", () => {
  it("compares mzxids as 64-bit integers, not as strings or doubles", async () => {
    // 2^53 + 1 and 2^53 are the same double; "10" < "9" as strings
    const { host, applied } = scriptedHost([snap("9007199254740993"), snap("18446744073709551615")]);
    const t = new PathTracker("/p", host);
    t.seed({
      exists: true,
      value: "x",
      raw: "x",
      version: 0,
      mzxid: "9007199254740992",
      format: "text",
      source: "cache",
      pos: 9007199254740992n,
    });
    t.hint({ path: "/p", exists: true, version: 1, mzxid: "9007199254740993" });
    await settle();
    expect(applied.map((a) => a.mzxid)).toEqual(["9007199254740993"]);
    t.hint({ path: "/p", exists: true, version: 2, mzxid: "18446744073709551615" });
    await settle();
    expect(applied.map((a) => a.mzxid)).toEqual(["9007199254740993", "18446744073709551615"]);
  });

  it("does not fetch for hints that are not newer than what it holds", async () => {
    const { host, applied, fetches } = scriptedHost([snap("10")]);
    const t = new PathTracker("/p", host);
    t.hint({ path: "/p", exists: true, version: 1, mzxid: "10" });
    await settle();
    expect(fetches()).toBe(1);
    t.hint({ path: "/p", exists: true, version: 1, mzxid: "10" });
    t.hint({ path: "/p", exists: true, version: 0, mzxid: "9" });
    await settle();
    expect(fetches()).toBe(1);
    expect(applied).toHaveLength(1);
  });

  it("never applies an older or equal snapshot, even when the server answers with one", async () => {
    const { host, applied } = scriptedHost([snap("20"), snap("15"), snap("20"), snap("30")]);
    const t = new PathTracker("/p", host);
    t.hint({ path: "/p", exists: true, version: 1, mzxid: "20" });
    await settle();
    t.hint({ path: "/p", exists: true, version: 3, mzxid: "30" }); // answered 15, 20 (behind), then 30
    await settle();
    expect(applied.map((a) => a.mzxid)).toEqual(["20", "30"]);
  });

  it("positions a delete after what it was told, so an older snapshot cannot resurrect the value", async () => {
    const gone: ConfigSnapshot = { path: "/p", exists: false, version: -1, mzxid: "0", data: "", format: "text" };
    const { host, applied } = scriptedHost([snap("20"), gone, snap("20"), snap("40")]);
    const t = new PathTracker("/p", host);
    t.hint({ path: "/p", exists: true, version: 1, mzxid: "20" });
    await settle();
    t.hint({ path: "/p", exists: false, version: -1, mzxid: "0" }, "25");
    await settle();
    expect(applied.map((a) => a.exists)).toEqual([true, false]);
    t.hint({ path: "/p", exists: true, version: 0, mzxid: "40" }); // re-created; the stale "20" answer is skipped
    await settle();
    expect(applied.map((a) => [a.exists, a.mzxid])).toEqual([
      [true, "20"],
      [false, "0"],
      [true, "40"],
    ]);
  });

  it("settles when a delete notice arrives after a fetch already returned the re-created node", async () => {
    const { host, applied, fetches } = scriptedHost([snap("30"), snap("30")]);
    const t = new PathTracker("/p", host);
    t.hint({ path: "/p", exists: true, version: 0, mzxid: "20" }); // the fetch answers with 30 (deleted at 25, re-created at 30)
    await settle();
    t.hint({ path: "/p", exists: false, version: -1, mzxid: "0" }, "25"); // the late notices
    t.hint({ path: "/p", exists: true, version: 0, mzxid: "30" });
    await settle();
    expect(applied.map((a) => a.mzxid)).toEqual(["30"]);
    expect(t.pending()).toBe(false);
    expect(fetches()).toBe(1);
    // a subscribe answer (no zxid) saying "gone" is checked, and a server still holding our version clears it
    t.hint({ path: "/p", exists: false, version: -1, mzxid: "0" });
    await settle();
    expect(fetches()).toBe(2);
    expect(t.pending()).toBe(false);
    expect(applied).toHaveLength(1);
  });

  it("does not let a fetch answered before a delete swallow that delete", async () => {
    const gone: ConfigSnapshot = { path: "/p", exists: false, version: -1, mzxid: "0", data: "", format: "text" };
    let release: (s: ConfigSnapshot) => void = () => {};
    const answers: ConfigSnapshot[] = [gone];
    const applied: Applied[] = [];
    const host: TrackerHost = {
      ...scriptedHost([]).host,
      fetch: () => (applied.length === 0 ? new Promise((r) => (release = r)) : Promise.resolve(answers.shift()!)),
      onApplied: (_t, a) => applied.push(a),
    };
    const t = new PathTracker("/p", host);
    t.seed({
      exists: true,
      value: "20",
      raw: "20",
      version: 0,
      mzxid: "20",
      format: "text",
      source: "server",
      pos: 20n,
    });
    t.hint({ path: "/p", exists: true, version: 1, mzxid: "22" }); // fetch in flight...
    await settle();
    t.hint({ path: "/p", exists: false, version: -1, mzxid: "0" }, "25"); // ...when the delete is announced
    release(snap("22")); // the fetch was served before the delete
    await settle();
    expect(applied.map((a) => [a.exists, a.mzxid])).toEqual([
      [true, "22"],
      [false, "0"],
    ]);
    expect(t.pending()).toBe(false);
  });
});
