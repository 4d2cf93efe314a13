/** Unit tests for connect-string and zookeeper:// URL parsing. */
import { describe, expect, it } from "vitest";
import { describeConnectString, parseConnectString } from "./connectString.ts";

describe("parseConnectString", () => {
  it("parses hosts, default port and chroot", () => {
    expect(parseConnectString("h1:2181,h2/app/conf")).toEqual({
      hosts: [
        { host: "h1", port: 2181 },
        { host: "h2", port: 2181 },
      ],
      chroot: "/app/conf",
      auth: [],
    });
    expect(parseConnectString("127.0.0.1:3000").chroot).toBe("");
    expect(parseConnectString("127.0.0.1:3000/").chroot).toBe("");
  });

  it("parses zookeeper:// URLs with percent-encoded digest credentials", () => {
    const p = parseConnectString("zookeeper://alice:s%40cret@h1:1,h2:2/root");
    expect(p.auth).toEqual([{ scheme: "digest", auth: "alice:s@cret" }]);
    expect(p.hosts).toEqual([
      { host: "h1", port: 1 },
      { host: "h2", port: 2 },
    ]);
    expect(p.chroot).toBe("/root");
    expect(describeConnectString(p)).toBe("h1:1,h2:2/root");
  });

  it("accepts bracketed IPv6 hosts", () => {
    expect(parseConnectString("[::1]:2181").hosts).toEqual([{ host: "::1", port: 2181 }]);
  });

  it("refuses empty host lists, bad chroots and credentials without a password", () => {
    expect(() => parseConnectString("")).toThrow(/no hosts/);
    expect(() => parseConnectString("h1:2181/a//b")).toThrow(/invalid path/);
    expect(() => parseConnectString("zookeeper://alice@h1")).toThrow(/user:password/);
  });
});
