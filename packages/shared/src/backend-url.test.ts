/** Unit tests of the backend URL parser: both forms, credentials, chroots, host lists, bad input. */
import { CoordinatorError } from "@conifer/coordinator";
import { describe, expect, it } from "vitest";
import { describeBackendUrl, describeZooKeeperAddress, parseBackendUrl, parseZooKeeperAddress } from "./backend-url.ts";

function badArguments(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(CoordinatorError.is(err, "BAD_ARGUMENTS")).toBe(true);
    return (err as Error).message;
  }
  throw new Error("expected BAD_ARGUMENTS");
}

describe("parseBackendUrl", () => {
  it("reads the embedded engine, with or without the colon", () => {
    expect(parseBackendUrl("embedded:")).toEqual({ kind: "embedded" });
    expect(parseBackendUrl(" embedded ")).toEqual({ kind: "embedded" });
    expect(describeBackendUrl({ kind: "embedded" })).toBe("embedded:");
  });

  it("reads several hosts, default ports and a chroot", () => {
    expect(parseBackendUrl("zookeeper://h1:2181,h2,10.0.0.3:2182/tenants/conifer")).toEqual({
      kind: "zookeeper",
      hosts: [
        { host: "h1", port: 2181 },
        { host: "h2", port: 2181 },
        { host: "10.0.0.3", port: 2182 },
      ],
      chroot: "/tenants/conifer",
      credentials: null,
    });
    expect(parseBackendUrl("zookeeper://h1:2181/")).toMatchObject({ chroot: "" });
    expect(parseBackendUrl("zookeeper://h1:2181")).toMatchObject({ chroot: "" });
  });

  it("reads percent-encoded credentials, a password with a raw @, and masks them for logs", () => {
    const b = parseBackendUrl("zookeeper://alice:s%40cret@h1:1,h2:2/root");
    expect(b).toMatchObject({ credentials: { user: "alice", password: "s@cret" }, chroot: "/root" });
    expect(describeBackendUrl(b)).toBe("zookeeper://***@h1:1,h2:2/root");
    expect(parseBackendUrl("zookeeper://bob:p@ss@h1/x")).toMatchObject({
      credentials: { user: "bob", password: "p@ss" },
      hosts: [{ host: "h1", port: 2181 }],
    });
    expect(describeBackendUrl(parseBackendUrl("zookeeper://h1"))).toBe("zookeeper://h1:2181");
  });

  it("reads bracketed IPv6 hosts and prints them back bracketed", () => {
    const b = parseBackendUrl("zookeeper://[::1]:2181,[fe80::2]");
    expect(b).toMatchObject({
      hosts: [
        { host: "::1", port: 2181 },
        { host: "fe80::2", port: 2181 },
      ],
    });
    expect(describeBackendUrl(b)).toBe("zookeeper://[::1]:2181,[fe80::2]:2181");
  });

  it("refuses other schemes, naming the forms it accepts", () => {
    for (const url of ["", "postgres://h/db", "zk://h1:2181", "h1:2181", "embedded:/x"])
      expect(badArguments(() => parseBackendUrl(url))).toMatch(
        /^Unsupported backend URL .*use "embedded:" or zookeeper:\/\//,
      );
  });

  it("refuses empty host lists, bad ports and addresses, bad chroots and half credentials", () => {
    expect(badArguments(() => parseBackendUrl("zookeeper://"))).toMatch(/no hosts/);
    expect(badArguments(() => parseBackendUrl("zookeeper://alice:pw@/x"))).toMatch(/no hosts/);
    expect(badArguments(() => parseBackendUrl("zookeeper://h1:0"))).toMatch(/port .*1-65535/);
    expect(badArguments(() => parseBackendUrl("zookeeper://h1:65536"))).toMatch(/port .*1-65535/);
    expect(badArguments(() => parseBackendUrl("zookeeper://h1:abc"))).toMatch(/bad ZooKeeper address "h1:abc"/);
    expect(badArguments(() => parseBackendUrl("zookeeper://h1:2181/a//b"))).toMatch(/invalid path/);
    expect(badArguments(() => parseBackendUrl("zookeeper://h1/trailing/"))).toMatch(/invalid path/);
    expect(badArguments(() => parseBackendUrl("zookeeper://alice@h1"))).toMatch(/user:password/);
    expect(badArguments(() => parseBackendUrl("zookeeper://alice:%E0%A4%A@h1"))).toMatch(/percent-encoding/);
  });
});

describe("parseZooKeeperAddress", () => {
  it("also reads the bare connect string of the Java client", () => {
    const a = parseZooKeeperAddress("h1:2181, h2/app/conf");
    expect(a).toEqual({
      hosts: [
        { host: "h1", port: 2181 },
        { host: "h2", port: 2181 },
      ],
      chroot: "/app/conf",
      credentials: null,
    });
    expect(describeZooKeeperAddress(a)).toBe("h1:2181,h2:2181/app/conf");
  });
});
