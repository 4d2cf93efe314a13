/**
 * Releases of tree-shaped writes on a real embedded engine and SQLite: a recursive delete is a
 * release of every node it deleted (so its rollback re-creates the whole subtree with its
 * contents in one multi), and a release that had to create missing parents records them, so its
 * rollback removes those parents too when nothing else uses them since.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { content, openFixture, user, type Fixture } from "./test-fixture.ts";

let f: Fixture;
const alice = user("alice", [["/", "editor"]]);
const bob = user("bob", [["/", "publisher"]]);

beforeAll(async () => {
  f = await openFixture();
});
afterAll(() => f.close());

const version = async (path: string) => (await f.other.exists(path))?.version ?? null;

describe("a recursive delete as a release", () => {
  it("records every deleted node; its rollback re-creates the subtree with its contents at one zxid", async () => {
    await f.conifer.config.create(alice.actor, { path: "/st/tree", content: "top" });
    await f.conifer.config.create(alice.actor, { path: "/st/tree/sub", content: "S" });
    await f.conifer.config.create(alice.actor, { path: "/st/tree/sub/c.json", content: '{"c":1}' });
    await f.conifer.config.update(alice.actor, { path: "/st/tree/sub/c.json", content: '{"c":2}', expectedVersion: 0 });
    const top = await f.other.exists("/st/tree");
    const { deleted } = await f.conifer.config.delete(alice.actor, {
      path: "/st/tree",
      expectedVersion: top?.version ?? -1,
      recursive: true,
      message: "drop the tree",
    });
    expect(deleted.sort()).toEqual(["/st/tree", "/st/tree/sub", "/st/tree/sub/c.json"]);
    expect(await f.other.exists("/st/tree")).toBeNull();

    const [release] = await f.conifer.releases.list(bob, { under: "/st/tree" });
    expect(release).toMatchObject({ status: "published", message: "drop the tree", changeId: null });
    expect(release?.items.map((i) => [i.path, i.op, i.fromVersion, i.toVersion, i.fromContent])).toEqual([
      ["/st/tree", "delete", 0, 0, "top"],
      ["/st/tree/sub", "delete", 0, 0, "S"],
      ["/st/tree/sub/c.json", "delete", 1, 1, '{"c":2}'],
    ]);
    // each node's delete row names the release
    await f.conifer.drain();
    for (const path of deleted)
      expect((await f.history.list(path)).items[0]).toMatchObject({ op: "delete", releaseId: release?.id });

    const back = await f.conifer.releases.rollback(bob, release?.id ?? "");
    expect(back).toMatchObject({ status: "published", rollbackOf: release?.id });
    expect(await content(f.other, "/st/tree")).toBe("top");
    expect(await content(f.other, "/st/tree/sub")).toBe("S");
    expect(await content(f.other, "/st/tree/sub/c.json")).toBe('{"c":2}');
    const stats = await Promise.all(deleted.map((p) => f.other.exists(p)));
    expect([...new Set(stats.map((s) => s?.czxid.toString()))]).toEqual([back.zxid]);
    expect(back.items.map((i) => [i.path, i.op]).sort()).toEqual([
      ["/st/tree", "create"],
      ["/st/tree/sub", "create"],
      ["/st/tree/sub/c.json", "create"],
    ]);
    expect(await version("/st/tree/sub/c.json")).toBe(0);
  });

  it("another client's binary data comes back as the same bytes, not as its base64 text", async () => {
    const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x80, 0x41]);
    await f.conifer.config.create(alice.actor, { path: "/bin/tree", content: "top" });
    await f.other.create("/bin/tree/blob", bytes);
    await f.other.create("/bin/key", Buffer.from([0xc3, 0x28]));
    await f.conifer.drain();
    // a recursive delete, then its rollback
    const top = await f.other.exists("/bin/tree");
    await f.conifer.config.delete(alice.actor, {
      path: "/bin/tree",
      expectedVersion: top?.version ?? -1,
      recursive: true,
    });
    const [deletion] = await f.conifer.releases.list(bob, { under: "/bin/tree" });
    expect(deletion?.items.find((i) => i.path === "/bin/tree/blob")).toMatchObject({
      fromContent: bytes.toString("base64"),
      fromEncoding: "base64",
    });
    await f.conifer.releases.rollback(bob, deletion?.id ?? "");
    expect((await f.other.getData("/bin/tree/blob")).data).toEqual(bytes);
    await f.conifer.drain();
    expect((await f.history.list("/bin/tree/blob")).items[0]).toMatchObject({ op: "create", source: "rollback" });
    // a save over binary data, then its release's rollback
    await f.conifer.config.update(alice.actor, { path: "/bin/key", content: "text now", expectedVersion: 0 });
    const [save] = await f.conifer.releases.list(bob, { under: "/bin/key" });
    expect(save?.items[0]).toMatchObject({ fromEncoding: "base64", toEncoding: "utf8" });
    const back = await f.conifer.releases.rollback(bob, save?.id ?? "");
    expect((await f.other.getData("/bin/key")).data).toEqual(Buffer.from([0xc3, 0x28]));
    expect(back.items[0]).toMatchObject({ toEncoding: "base64", fromContent: "text now", fromEncoding: "utf8" });
    // and rolling the rollback back writes the text again
    await f.conifer.releases.rollback(bob, back.id);
    expect(await content(f.other, "/bin/key")).toBe("text now");
  });

  it("a node changed while the subtree is read is not deleted blind: nothing is deleted", async () => {
    await f.conifer.config.create(alice.actor, { path: "/race/tree/a.txt", content: "A" });
    const top = await f.other.exists("/race/tree");
    // a competing write between the read of the subtree and the multi
    f.faulty.inject({
      call: "multi",
      fault: { kind: "delay", until: () => f.other.setData("/race/tree/a.txt", Buffer.from("theirs")) },
    });
    await expect(
      f.conifer.config.delete(alice.actor, {
        path: "/race/tree",
        expectedVersion: top?.version ?? -1,
        recursive: true,
      }),
    ).rejects.toMatchObject({ code: "CONFLICT", details: { path: "/race/tree/a.txt" } });
    expect(await content(f.other, "/race/tree/a.txt")).toBe("theirs");
  });
});

describe("parents a release created", () => {
  const admin = user("root", [["/", "admin"]]);
  /** a change by alice creating `items`, approved and published by bob */
  async function published(prefix: string, items: Record<string, string>) {
    await f.conifer.releases.policies.set(admin, { prefix, mode: "review" });
    const c = await f.conifer.releases.changes.create(alice, {
      title: `create under ${prefix}`,
      items: Object.entries(items).map(([path, content]) => ({ path, content })),
    });
    await f.conifer.releases.changes.submit(alice, c.id);
    await f.conifer.releases.changes.review(bob, c.id, { verdict: "approve" });
    return f.conifer.releases.publish(bob, c.id);
  }
  const parents = (r: { items: { path: string; op: string; parent?: boolean }[] }) =>
    r.items
      .filter((i) => i.parent)
      .map((i) => [i.path, i.op])
      .sort();

  it("are recorded in the release and removed by its rollback, in the same multi", async () => {
    const release = await published("/np", { "/np/x/y/a.txt": "A", "/np/x/b.txt": "B" });
    expect(parents(release)).toEqual([
      ["/np", "create"],
      ["/np/x", "create"],
      ["/np/x/y", "create"],
    ]);
    expect((await f.history.releases.getRelease(release.id))?.items.filter((i) => i.parent)).toHaveLength(3);
    const back = await f.conifer.releases.rollback(bob, release.id);
    for (const path of ["/np/x/y/a.txt", "/np/x/b.txt", "/np/x/y", "/np/x", "/np"])
      expect(await f.other.exists(path)).toBeNull();
    expect(parents(back)).toEqual([
      ["/np", "delete"],
      ["/np/x", "delete"],
      ["/np/x/y", "delete"],
    ]);
    // one multi: every delete row of the rollback is at its zxid
    await f.conifer.drain();
    for (const path of ["/np/x/y/a.txt", "/np/x/y", "/np"])
      expect((await f.history.list(path)).items[0]).toMatchObject({ op: "delete", releaseId: back.id });
    // rolling the rollback back creates the keys and their parents again
    const again = await f.conifer.releases.rollback(bob, back.id);
    expect(await content(f.other, "/np/x/y/a.txt")).toBe("A");
    expect(parents(again).map(([p]) => p)).toEqual(["/np", "/np/x", "/np/x/y"]);
  });

  it("a parent that gained a child or data since stays, and the rollback still succeeds", async () => {
    const release = await published("/gp", { "/gp/p1/a.txt": "A", "/gp/p2/b.txt": "B" });
    await f.other.create("/gp/p1/theirs.txt", Buffer.from("T"));
    await f.other.setData("/gp/p2", Buffer.from("data"));
    const back = await f.conifer.releases.rollback(bob, release.id);
    expect(back.status).toBe("published");
    expect(await f.other.exists("/gp/p1/a.txt")).toBeNull();
    expect(await f.other.exists("/gp/p2/b.txt")).toBeNull();
    expect(await content(f.other, "/gp/p1/theirs.txt")).toBe("T");
    expect(await content(f.other, "/gp/p2")).toBe("data");
    expect(await f.other.exists("/gp")).not.toBeNull();
    expect(parents(back)).toEqual([]);
  });

  it("a parent that gains a child while the rollback is sent stays; the keys are still rolled back", async () => {
    const release = await published("/rp", { "/rp/q/a.txt": "A" });
    f.faulty.inject({
      call: "multi",
      fault: { kind: "delay", until: () => f.other.create("/rp/q/late.txt", Buffer.alloc(0)) },
    });
    const back = await f.conifer.releases.rollback(bob, release.id);
    expect(await f.other.exists("/rp/q/a.txt")).toBeNull();
    expect(await f.other.exists("/rp/q/late.txt")).not.toBeNull();
    expect(parents(back)).toEqual([]);
    expect(back.items.map((i) => [i.path, i.op])).toEqual([["/rp/q/a.txt", "delete"]]);
  });

  it("a direct save's release records the parents it created; its rollback removes them", async () => {
    await f.conifer.config.create(alice.actor, { path: "/dp/q/r.txt", content: "R" });
    const [release] = await f.conifer.releases.list(bob, { under: "/dp/q/r.txt" });
    expect(parents(release ?? { items: [] })).toEqual([
      ["/dp", "create"],
      ["/dp/q", "create"],
    ]);
    await f.conifer.releases.rollback(bob, release?.id ?? "");
    expect(await f.other.exists("/dp")).toBeNull();
  });
});
