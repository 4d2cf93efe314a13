/**
 * Contract cases: watch events respect READ permission (ZooKeeper's fix for CVE-2024-23944).
 * A session is only told about a change to a node it may read: NodeCreated, NodeDataChanged
 * and NodeDeleted are checked against the changed node's ACL, NodeChildrenChanged against the
 * parent's, for one-shot, persistent and recursive watches alike, and for the writer itself.
 * An event held back this way still consumes a one-shot watch, as the server removes the watch
 * before it checks the ACL. "No event" is proven with a fence, never a sleep.
 */
import { describe, expect, it } from "vitest";
import type { ACL } from "../types.ts";
import { digestId } from "./acl.ts";
import { buf, fence, recorder, setup, type ContractHarness } from "./harness.ts";

/** all permissions for one address the test sessions never connect from */
const elsewhere: ACL[] = [{ perms: 31, id: { scheme: "ip", id: "10.1.2.3" } }];
/** all permissions for alice:pw only */
const alice: ACL[] = [{ perms: 31, id: { scheme: "digest", id: digestId("alice", "pw") } }];
const asAlice = { auth: [{ scheme: "digest", auth: "alice:pw" }] };

export function watchAclCases(h: ContractHarness): void {
  describe("watch events and READ permission", () => {
    it("an exists watch is not told about a node created with an ACL the watcher cannot read", async () => {
      const { s, base, p, connect } = await setup(h);
      const other = await connect();
      const hidden = recorder();
      const shown = recorder();
      await s.exists(p("hidden"), hidden.watcher);
      await s.exists(p("shown"), shown.watcher);
      await other.create(p("hidden"), buf("x"), { acl: elsewhere });
      await other.create(p("shown"), buf("x"));
      await shown.waitFor(1);
      await fence(s, base);
      expect(hidden.events).toEqual([]);
      expect(shown.events).toEqual([{ type: "NodeCreated", path: p("shown") }]);
    });

    it("the creator itself is not told when its ACL grants no READ", async () => {
      const { s, base, p } = await setup(h);
      const r = recorder();
      await s.exists(p("e"), r.watcher);
      await s.create(p("e"), buf("x"), { acl: [{ perms: 31 & ~1, id: { scheme: "world", id: "anyone" } }] });
      await fence(s, base);
      expect(r.events).toEqual([]);
    });

    it("NodeDataChanged and NodeDeleted are checked against the node's ACL at the time of the change", async () => {
      const { s, base, p, connect } = await setup(h);
      const owner = await connect(asAlice);
      await owner.create(p("d"), buf("x"));
      await owner.create(p("g"), buf("x"));
      const data = recorder();
      const gone = recorder();
      const goneChildren = recorder();
      await s.getData(p("d"), data.watcher);
      await s.getData(p("g"), gone.watcher);
      await s.getChildren(p("g"), goneChildren.watcher);
      await owner.setACL(p("d"), alice);
      await owner.setACL(p("g"), alice);
      await owner.setData(p("d"), buf("y"));
      await owner.delete(p("g"));
      await fence(s, base);
      expect(data.events).toEqual([]);
      expect(gone.events).toEqual([]);
      expect(goneChildren.events).toEqual([]);
    });

    it("a one-shot watch whose event was held back is consumed", async () => {
      const { s, base, p, connect } = await setup(h);
      const owner = await connect(asAlice);
      await owner.create(p("d"), buf("x"));
      const r = recorder();
      await s.getData(p("d"), r.watcher);
      await owner.setACL(p("d"), alice);
      await owner.setData(p("d"), buf("y"));
      await owner.setACL(p("d"), [{ perms: 31, id: { scheme: "world", id: "anyone" } }]);
      await owner.setData(p("d"), buf("z"));
      await fence(s, base);
      expect(r.events).toEqual([]);
    });

    it("NodeChildrenChanged is checked against the parent's ACL, not the child's", async () => {
      const { s, base, p, connect } = await setup(h);
      const owner = await connect(asAlice);
      await owner.create(p("closed"));
      await owner.create(p("open"));
      const closed = recorder();
      const open = recorder();
      await s.getChildren(p("closed"), closed.watcher);
      await s.getChildren(p("open"), open.watcher);
      await owner.setACL(p("closed"), alice);
      await owner.create(p("closed/c"));
      // the child is unreadable, its parent is not: the parent's watcher hears of it
      await owner.create(p("open/c"), null, { acl: alice });
      await open.waitFor(1);
      await fence(s, base);
      expect(closed.events).toEqual([]);
      expect(open.events).toEqual([{ type: "NodeChildrenChanged", path: p("open") }]);
    });

    it("a persistent watch hears only of the changes it may read, and keeps firing", async () => {
      const { s, base, p, connect } = await setup(h);
      const owner = await connect(asAlice);
      const r = recorder();
      await s.addWatch(p("w"), "PERSISTENT", r.watcher);
      await owner.create(p("w"), buf("x"), { acl: alice });
      await owner.setData(p("w"), buf("y"));
      await owner.create(p("w/c"));
      await owner.setACL(p("w"), [{ perms: 31, id: { scheme: "world", id: "anyone" } }]);
      await owner.setData(p("w"), buf("z"));
      await owner.create(p("w/d"), null, { acl: alice });
      await owner.delete(p("w/d"));
      await r.waitFor(3);
      await fence(s, base);
      expect(r.events).toEqual([
        { type: "NodeDataChanged", path: p("w") },
        { type: "NodeChildrenChanged", path: p("w") },
        { type: "NodeChildrenChanged", path: p("w") },
      ]);
    });

    it("a recursive watch does not leak the paths of unreadable descendants", async () => {
      const { s, base, p, connect } = await setup(h);
      const owner = await connect(asAlice);
      await owner.create(p("w"));
      const r = recorder();
      await s.addWatch(p("w"), "PERSISTENT_RECURSIVE", r.watcher);
      await owner.create(p("w/secret"), buf("x"), { acl: alice });
      await owner.setData(p("w/secret"), buf("y"));
      await owner.create(p("w/secret/inner"), buf("x"), { acl: elsewhere });
      await owner.create(p("w/open"), buf("x"));
      await owner.setData(p("w/open"), buf("y"));
      await owner.delete(p("w/secret/inner"));
      await owner.delete(p("w/secret"));
      await r.waitFor(2);
      await fence(s, base);
      expect(r.events).toEqual([
        { type: "NodeCreated", path: p("w/open") },
        { type: "NodeDataChanged", path: p("w/open") },
      ]);
    });

    it("authenticating later makes the session's later events visible", async () => {
      const { s, base, p, connect } = await setup(h);
      const owner = await connect(asAlice);
      await owner.create(p("w"), buf("x"), { acl: alice });
      const r = recorder();
      await s.addWatch(p("w"), "PERSISTENT", r.watcher);
      await owner.setData(p("w"), buf("y"));
      await fence(s, base);
      expect(r.events).toEqual([]);
      await s.addAuth("digest", "alice:pw");
      await owner.setData(p("w"), buf("z"));
      await r.waitFor(1);
      expect(r.events).toEqual([{ type: "NodeDataChanged", path: p("w") }]);
    });
  });
}
