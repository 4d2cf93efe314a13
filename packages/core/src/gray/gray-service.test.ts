/**
 * Gray releases on a real embedded engine and SQLite: the znode holds the state, direct edits
 * and change publishes of its keys are refused while it is active, retarget and abort rewrite
 * it conditionally, and promote writes the keys and removes the znode in one multi recorded as
 * a release with history and audit rows; a key moved behind its back makes promote a CONFLICT;
 * a change request can go gray and be published by the promote;
 * a second server on the same backend serves the same gray and follows its changes.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Conifer } from "../conifer.ts";
import { GRAY_ROOT } from "../paths.ts";
import { content, failure, openFixture, user, type Fixture } from "../releases/test-fixture.ts";
import { grayPath } from "./gray-record.ts";

let f: Fixture;
const alice = user("alice", [["/", "editor"]]);
const bob = user("bob", [["/", "publisher"]]);
const eu = { instanceId: "i-eu", host: "h1", labels: { region: "eu-1" } };
const us = { instanceId: "i-us", host: "h2", labels: { region: "us-1" } };

beforeAll(async () => {
  f = await openFixture();
  await f.other.create("/gs", Buffer.alloc(0));
  await f.other.create("/gs/a.json", Buffer.from('{"v":0}'));
  await f.other.create("/gs/b.json", Buffer.from('{"v":0}'));
  await f.other.create("/gs/c.json", Buffer.from('{"v":0}'));
  await f.other.create("/gs/d.json", Buffer.from('{"v":0}'));
  await f.conifer.drain();
});
afterAll(() => f.close());

const start = (path: string, text: string) =>
  f.conifer.releases.gray.start(bob, {
    keys: [{ path, content: text }],
    target: { selector: "region=eu-1" },
  });

describe("gray releases", () => {
  it("start: a JSON znode per gray; served to targeted instances only; needs publish rights", async () => {
    expect(
      await failure(
        f.conifer.releases.gray.start(alice, { keys: [{ path: "/gs/a.json", content: "{}" }], target: {} }),
      ),
    ).toMatchObject({ code: "INVALID_INPUT" });
    expect(
      await failure(
        f.conifer.releases.gray.start(alice, {
          keys: [{ path: "/gs/a.json", content: "{}" }],
          target: { percent: 5 },
        }),
      ),
    ).toMatchObject({ code: "FORBIDDEN" });
    const g = await start("/gs/a.json", '{"v":"gray"}');
    const stored = JSON.parse((await f.other.getData(grayPath(g.id))).data.toString()) as unknown;
    expect(stored).toMatchObject({
      id: g.id,
      keys: { "/gs/a.json": { content: '{"v":"gray"}', format: "json", baseVersion: 0 } },
      target: { selector: "region=eu-1" },
      author: "bob",
      state: "active",
    });
    expect((await f.conifer.fetchFor("/gs/a.json", eu)).data).toBe('{"v":"gray"}');
    expect((await f.conifer.fetchFor("/gs/a.json", us)).data).toBe('{"v":0}');
    expect((await f.conifer.fetch("/gs/a.json")).data).toBe('{"v":0}');
    expect(f.conifer.releases.gray.list(bob).map((r) => r.id)).toContain(g.id);
    expect(await failure(start("/gs/a.json", "{}"))).toMatchObject({ code: "CONFLICT", details: { grayId: g.id } });

    // direct edits, change publishes and key rollbacks of the key are refused while it is active
    const edit = await failure(
      f.conifer.config.update(alice.actor, { path: "/gs/a.json", content: '{"v":1}', expectedVersion: 0 }),
    );
    expect(edit).toMatchObject({ code: "CONFLICT", details: { grayId: g.id } });
    expect((edit as Error).message).toMatch(new RegExp(`gray release ${g.id}: promote or abort`));
    const c = await f.conifer.releases.changes.create(alice, {
      title: "t",
      items: [{ path: "/gs/a.json", content: '{"v":2}' }],
    });
    await f.conifer.releases.changes.submit(alice, c.id);
    const pub = await failure(f.conifer.releases.publish(alice, c.id));
    expect(pub).toMatchObject({ code: "CONFLICT", details: { grayId: g.id } });
    expect((await f.conifer.releases.changes.view(alice, c.id)).change.status).toBe("approved");
    expect(await content(f.other, "/gs/a.json")).toBe('{"v":0}');

    // retarget, then abort: everybody back on live content, at a newer mzxid than the gray's
    const grayMzxid = BigInt((await f.conifer.fetchFor("/gs/a.json", eu)).mzxid);
    await f.conifer.releases.gray.updateTarget(bob, g.id, { selector: "region=us-1" });
    expect((await f.conifer.fetchFor("/gs/a.json", us)).data).toBe('{"v":"gray"}');
    await f.conifer.releases.gray.abort(bob, g.id);
    for (const inst of [eu, us]) {
      const s = await f.conifer.fetchFor("/gs/a.json", inst);
      expect(s.data).toBe('{"v":0}');
      expect(BigInt(s.mzxid)).toBeGreaterThan(grayMzxid);
    }
    expect(await failure(f.conifer.releases.gray.abort(bob, g.id))).toMatchObject({ code: "CONFLICT" });
    await f.conifer.config.update(alice.actor, { path: "/gs/a.json", content: '{"v":1}', expectedVersion: 0 });
    const audit = await f.history.listAudit({ action: "gray.*" });
    expect(audit.items.map((a) => a.action).sort()).toEqual(["gray.abort", "gray.start", "gray.target"]);
  });

  it("promote: the keys and the gray znode's removal in one multi, recorded as a release", async () => {
    const g = await start("/gs/b.json", '{"v":"promoted"}');
    const release = await f.conifer.releases.gray.promote(bob, g.id, "roll out");
    expect(release).toMatchObject({ status: "published", publishedBy: "bob" });
    expect(await content(f.other, "/gs/b.json")).toBe('{"v":"promoted"}');
    expect(await f.other.exists(grayPath(g.id))).toBeNull();
    expect((await f.other.getChildren(GRAY_ROOT)).children).not.toContain(g.id);
    await f.conifer.drain();
    const rows = await f.conifer.history.list({ path: "/gs/b.json" });
    expect(rows.items[0]).toMatchObject({ author: "bob", releaseId: release.id, message: "roll out" });
    for (const inst of [eu, us]) expect((await f.conifer.fetchFor("/gs/b.json", inst)).data).toBe('{"v":"promoted"}');
    expect(await failure(f.conifer.releases.gray.get(bob, g.id))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("promote after the key moved behind its back: CONFLICT naming it, nothing written", async () => {
    const g = await start("/gs/b.json", '{"v":"late"}');
    await f.other.setData("/gs/b.json", Buffer.from('{"v":"zkcli"}'));
    const err = await failure(f.conifer.releases.gray.promote(bob, g.id));
    expect(err).toMatchObject({ code: "CONFLICT", details: { conflicts: ["/gs/b.json"], grayId: g.id } });
    expect(await content(f.other, "/gs/b.json")).toBe('{"v":"zkcli"}');
    expect((await f.conifer.releases.gray.get(bob, g.id)).state).toBe("active");
  });

  it("from an approved change request: its content goes gray, its promote publishes the change", async () => {
    const c = await f.conifer.releases.changes.create(alice, {
      title: "canary limits",
      items: [{ path: "/gs/c.json", content: '{"v":"change"}' }],
    });
    await f.conifer.releases.changes.submit(alice, c.id);
    expect(
      await failure(f.conifer.releases.gray.start(alice, { changeId: c.id, target: { percent: 50 } })),
    ).toMatchObject({ code: "FORBIDDEN" });
    const g = await f.conifer.releases.gray.start(bob, { changeId: c.id, target: { selector: "region=eu-1" } });
    expect(g).toMatchObject({ changeId: c.id, title: "canary limits" });
    expect((await f.conifer.fetchFor("/gs/c.json", eu)).data).toBe('{"v":"change"}');
    expect(await failure(f.conifer.releases.publish(bob, c.id))).toMatchObject({
      code: "CONFLICT",
      details: { grayId: g.id },
    });
    const release = await f.conifer.releases.gray.promote(bob, g.id);
    expect(release.changeId).toBe(c.id);
    expect((await f.conifer.releases.changes.view(bob, c.id)).change).toMatchObject({
      status: "published",
      releaseId: release.id,
    });
    expect(await content(f.other, "/gs/c.json")).toBe('{"v":"change"}');
  });

  it("another server on the same backend (or this one restarted) serves the same gray, and hears its changes", async () => {
    const g = await start("/gs/d.json", '{"v":"gray"}');
    const peer = new Conifer({ backend: f.engine, history: f.history, serverId: "server-b", scheduleTickMs: 0 });
    await peer.start();
    try {
      const heard: string[] = [];
      peer.onGray((c) => heard.push(`${c.id}:${c.after?.record.state ?? "gone"}`));
      expect((await peer.fetchFor("/gs/d.json", eu)).data).toBe('{"v":"gray"}');
      expect((await peer.fetchFor("/gs/d.json", us)).data).toBe('{"v":0}');
      const edit = await failure(
        peer.config.update(alice.actor, { path: "/gs/d.json", content: "{}", expectedVersion: 0 }),
      );
      expect(edit).toMatchObject({ code: "CONFLICT", details: { grayId: g.id } });
      await f.conifer.releases.gray.abort(bob, g.id);
      // the peer learns of it through its own watch, as a server behind a load balancer would
      await vi.waitFor(() => expect(heard).toEqual([`${g.id}:aborted`]));
      await peer.graySettled();
      const a = await f.conifer.fetchFor("/gs/d.json", eu);
      expect(await peer.fetchFor("/gs/d.json", eu)).toEqual(a);
      expect(a.data).toBe('{"v":0}');
    } finally {
      await peer.stop();
    }
  });
});
