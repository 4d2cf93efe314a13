/**
 * The serving rule of gray-view.ts: targeted instances get the gray content, others the live
 * one, and every switch (start, retarget, abort, promote) comes with a larger mzxid for the
 * instances it switches, which is what makes the SDK apply it.
 */
import type { ConfigSnapshot } from "@conifer/protocol";
import { describe, expect, it } from "vitest";
import type { GrayEntry, GrayRecord } from "./gray-record.ts";
import { GrayView } from "./gray-view.ts";

const eu = { instanceId: "i-eu", host: "h1", labels: { region: "eu-1" } };
const us = { instanceId: "i-us", host: "h2", labels: { region: "us-1" } };

function live(mzxid: number, data = "live"): ConfigSnapshot {
  return { path: "/app/a.txt", exists: true, version: 3, mzxid: String(mzxid), data, format: "text" };
}

function gray(mzxid: number, patch: Partial<GrayRecord> = {}): GrayEntry {
  const record: GrayRecord = {
    id: "gtest0001",
    keys: { "/app/a.txt": { content: "gray", format: "text", baseVersion: 3 } },
    target: { selector: "region=eu-1" },
    author: "bob",
    createdAt: 1,
    state: "active",
    title: "t",
    ...patch,
  };
  return { record, mzxid: BigInt(mzxid) };
}

describe("GrayView", () => {
  it("serves live content untouched while no gray release exists", () => {
    const v = new GrayView();
    expect(v.serve(live(10), eu)).toEqual(live(10));
  });

  it("targeted instances get the gray content at the gray's mzxid, others the live content", () => {
    const v = new GrayView();
    v.set("gtest0001", gray(20));
    expect(v.serve(live(10), eu)).toMatchObject({ data: "gray", mzxid: "20", version: 3 });
    expect(v.serve(live(10), us)).toMatchObject({ data: "live" });
    expect(v.serve(live(10), undefined)).toMatchObject({ data: "live" });
    expect(v.version({ path: "/app/a.txt", exists: true, version: 3, mzxid: "10" }, eu).mzxid).toBe("20");
    // the same served snapshot each time: its JSON is encoded once for every instance
    expect(v.serve(live(10), eu)).toBe(v.serve(live(10), { ...eu, instanceId: "other", host: "h9" }));
  });

  it("abort: the former targets get live content at a newer mzxid than the gray's", () => {
    const v = new GrayView();
    v.set("gtest0001", gray(20));
    const change = v.set("gtest0001", gray(25, { state: "aborted" }));
    expect(change && v.reaches(change.before, eu)).toBe(true);
    expect(change && v.reaches(change.after, eu)).toBe(false);
    const served = v.serve(live(10), eu);
    expect(served).toMatchObject({ data: "live", mzxid: "25" });
    expect(BigInt(served.mzxid)).toBeGreaterThan(20n);
  });

  it("retargeting switches instances with a newer mzxid both ways", () => {
    const v = new GrayView();
    v.set("gtest0001", gray(20));
    v.set("gtest0001", gray(30, { target: { selector: "region=us-1" } }));
    expect(v.serve(live(10), eu)).toMatchObject({ data: "live", mzxid: "30" });
    expect(v.serve(live(10), us)).toMatchObject({ data: "gray", mzxid: "30" });
  });

  it("a retarget's change answers for the old target before and the new one after", () => {
    const v = new GrayView();
    v.set("gtest0001", gray(20));
    const change = v.set("gtest0001", gray(30, { target: { selector: "region=us-1" } }));
    expect(change && [v.reaches(change.before, eu), v.reaches(change.after, eu)]).toEqual([true, false]);
    expect(change && [v.reaches(change.before, us), v.reaches(change.after, us)]).toEqual([false, true]);
  });

  it("ignores a late read of an older state; promote removes it and the live mzxid is past it", () => {
    const v = new GrayView();
    v.set("gtest0001", gray(20));
    expect(v.set("gtest0001", gray(15))).toBeNull();
    expect(v.set("gtest0001", null)).toMatchObject({ after: null });
    expect(v.serve(live(40, "gray"), eu)).toEqual(live(40, "gray"));
  });

  it("refuses direct edits of a key in an active gray release, naming it", () => {
    const v = new GrayView();
    v.set("gtest0001", gray(20));
    expect(() => v.refuse(["/app/a.txt"])).toThrow(/gray release gtest0001: promote or abort/);
    expect(() => v.refuse(["/app/a.txt"], "gtest0001")).not.toThrow();
    expect(() => v.refuse(["/app/b.txt"])).not.toThrow();
    v.set("gtest0001", gray(21, { state: "aborted" }));
    expect(() => v.refuse(["/app/a.txt"])).not.toThrow();
  });
});
