/** The content cache never goes back in time, stays within its byte budget, and keeps a last-known answer once stale. */
import type { ConfigSnapshot } from "@conifer/protocol";
import { describe, expect, it } from "vitest";
import { ContentCache } from "./content-cache.ts";

const snap = (path: string, mzxid: number, data = "x", exists = true): ConfigSnapshot => ({
  path,
  exists,
  version: exists ? mzxid : -1,
  mzxid: exists ? String(mzxid) : "0",
  data,
  format: "text",
});

describe("ContentCache", () => {
  it("keeps the newest state per path, deletes included", () => {
    const c = new ContentCache();
    c.put(snap("/a", 5), 5n);
    expect(c.put(snap("/a", 3), 3n).mzxid).toBe("5");
    c.put(snap("/a", 0, "", false), 7n);
    expect(c.get("/a")?.exists).toBe(false);
    c.put(snap("/a", 9), 9n);
    expect(c.get("/a")?.mzxid).toBe("9");
  });
  it("after markStale answers only as last known until the path is read again, even an older read", () => {
    const c = new ContentCache();
    c.put(snap("/a", 5), 5n);
    c.markStale();
    expect(c.get("/a")).toBeUndefined();
    expect(c.lastKnown("/a")?.mzxid).toBe("5");
    // a read after the reconnect is the truth, whatever its order (e.g. a delete's pzxid)
    c.put(snap("/a", 4), 4n);
    expect(c.get("/a")?.mzxid).toBe("4");
    expect(c.lastKnown("/missing")).toBeUndefined();
  });
  it("evicts least recently used entries past the byte budget", () => {
    const c = new ContentCache(1000);
    c.put(snap("/a", 1, "a".repeat(200)), 1n);
    c.put(snap("/b", 1, "b".repeat(200)), 1n);
    c.get("/a");
    c.put(snap("/c", 1, "c".repeat(200)), 1n);
    expect(c.get("/b")).toBeUndefined();
    expect(c.get("/a")).toBeDefined();
    expect(c.get("/c")).toBeDefined();
  });
});
