/**
 * Contract cases from the differential test of the engine against Apache ZooKeeper 3.8
 * (issue 12): a closing session's own events, the request frame limit (jute.maxbuffer), IP ACL
 * syntax, fractional TTLs and getEphemerals' prefix trimming.
 */
import { describe, expect, it } from "vitest";
import type { ACL } from "../types.ts";
import { buf, expectCode, recorder, setup, type ContractHarness } from "./harness.ts";

/** ZooKeeper's default jute.maxbuffer: the largest request frame a server reads (0xfffff) */
const JUTE_MAX_BUFFER = 1_048_575;
const ip = (id: string): ACL[] => [{ perms: 31, id: { scheme: "ip", id } }];
const utf8 = (s: string) => Buffer.byteLength(s, "utf8");

export function fidelityCases(h: ContractHarness): void {
  describe("fidelity", () => {
    it("a closing session receives the events of its own ephemerals' deletion before close returns", async () => {
      const { base, p, connect } = await setup(h);
      const s = await connect();
      await s.create(p("e"), null, { mode: "EPHEMERAL" });
      await s.create(p("r"));
      await s.create(p("r/e"), null, { mode: "EPHEMERAL" });
      const child = recorder();
      const data = recorder();
      const persistent = recorder();
      const recursive = recorder();
      await s.getChildren(p("e"), child.watcher);
      await s.getData(p("r/e"), data.watcher);
      await s.addWatch(p("r"), "PERSISTENT", persistent.watcher);
      await s.addWatch(base, "PERSISTENT_RECURSIVE", recursive.watcher);
      await s.close();
      expect(child.events).toEqual([{ type: "NodeDeleted", path: p("e") }]);
      expect(data.events).toEqual([{ type: "NodeDeleted", path: p("r/e") }]);
      expect(persistent.events).toEqual([{ type: "NodeChildrenChanged", path: p("r") }]);
      // the order of a session's ephemeral deletes is unspecified (a Java HashSet in ZooKeeper)
      expect(recursive.events.map((e) => `${e.type} ${e.path}`).sort()).toEqual([
        `NodeDeleted ${p("e")}`,
        `NodeDeleted ${p("r/e")}`,
      ]);
    });

    it("requests are bounded by their frame size (jute.maxbuffer), not by the data size", async () => {
      const { s, p } = await setup(h);
      const path = p("big");
      await s.create(path);
      // setData frame: xid, type, path, data, version = 20 bytes + path + data
      const largest = JUTE_MAX_BUFFER - 20 - utf8(path);
      expect((await s.setData(path, Buffer.alloc(largest, 0x61))).stat.dataLength).toBe(largest);
      await expectCode(s.setData(path, Buffer.alloc(largest + 1, 0x61)), "BAD_ARGUMENTS");
      // refused before it was sent: the session carries on, the node keeps its data
      expect((await s.exists(path))?.dataLength).toBe(largest);
      // create frame with the open ACL: 47 bytes + path + data
      const created = p("c");
      const most = JUTE_MAX_BUFFER - 47 - utf8(created);
      await expectCode(s.create(created, Buffer.alloc(most + 1, 0x62)), "BAD_ARGUMENTS");
      expect(await s.exists(created)).toBeNull();
      expect((await s.create(created, Buffer.alloc(most, 0x62))).stat.dataLength).toBe(most);
    });

    it("ip ACLs: IPv4 only, octets and prefix lengths parsed as Java integers", async () => {
      const { s, p, connect } = await setup(h);
      await expectCode(s.create(p("a"), null, { acl: ip("::1") }), "INVALID_ACL");
      await expectCode(s.create(p("a"), null, { acl: ip("fe80::/10") }), "INVALID_ACL");
      await expectCode(s.create(p("a"), null, { acl: ip("127.0.0.1/33") }), "INVALID_ACL");
      await expectCode(s.create(p("a"), null, { acl: ip("127.0.0.1/") }), "INVALID_ACL");
      await expectCode(s.create(p("a"), null, { acl: ip("127.0.0.256") }), "INVALID_ACL");
      await expectCode(s.create(p("a"), null, { acl: ip("127.0.0") }), "INVALID_ACL");
      // the test sessions connect over loopback, from 127.0.0.1
      await s.create(p("zeros"), buf("z"), { acl: ip("127.000.0.1") });
      await s.create(p("plus"), buf("p"), { acl: ip("127.0.0.1/+8") });
      await s.create(p("other"), buf("o"), { acl: ip("10.0.0.0/+8") });
      const reader = await connect();
      await reader.sync(p("other"));
      expect((await reader.getData(p("zeros"))).data.toString()).toBe("z");
      expect((await reader.getData(p("plus"))).data.toString()).toBe("p");
      await expectCode(reader.getData(p("other")), "NO_AUTH");
    });

    it("a fractional TTL is refused with BAD_ARGUMENTS", async () => {
      if (!h.capabilities.ttl) return;
      const { s, p } = await setup(h);
      await expectCode(s.create(p("t"), null, { mode: "PERSISTENT_WITH_TTL", ttl: 1.5 }), "BAD_ARGUMENTS");
      await expectCode(
        s.multi([{ type: "create", path: p("t"), options: { mode: "PERSISTENT_WITH_TTL", ttl: 1.5 } }]),
        "BAD_ARGUMENTS",
      );
      expect(await s.exists(p("t"))).toBeNull();
    });

    it("getEphemerals trims its prefix as Java's String.trim does (code units up to U+0020)", async () => {
      const { s, p } = await setup(h);
      await s.create(p("e"), null, { mode: "EPHEMERAL" });
      expect(await s.getEphemerals("\u0001/\u0001")).toEqual([p("e")]);
      expect(await s.getEphemerals(" / ")).toEqual([p("e")]);
      expect(await s.getEphemerals("\u00a0/")).toEqual([]);
      expect(await s.getEphemerals("\u00a0")).toEqual([]);
    });
  });
}
