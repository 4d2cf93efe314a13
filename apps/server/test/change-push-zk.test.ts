/**
 * The review count and the author's view of a change stay live across servers (issue 14, item
 * 3): two Conifer servers on one real ZooKeeper ensemble and one history database, consoles
 * connected to either. A reviewer on B hears of a change proposed on A, the author on A hears
 * of the approval and the publish done on B, and of a scheduled publish that B's scheduler fires
 * (A does not tick). Every socket hears each action exactly once, whichever server handled it.
 */
import { join } from "node:path";
import { startEnsemble, zookeeperInstalled, type Ensemble } from "@conifer/zookeeper/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { ADMIN_USER, ensureUser } from "./auth.ts";
import { changeListener } from "./change-listener.ts";
import { client, start, tempDir } from "./helpers.ts";
import { socketsOfSuite } from "./sockets.ts";

const sockets = socketsOfSuite();
const LIVE = { timeout: 30_000, interval: 25 };

describe.skipIf(!zookeeperInstalled())("changeActivity across two servers on one ZooKeeper ensemble", () => {
  let zk: Ensemble | undefined;
  let a: RunningServer | undefined;
  let b: RunningServer | undefined;
  let cleanup: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    zk = await startEnsemble({ size: 1, tickTimeMs: 500 });
    const t = await tempDir("conifer-change-push-zk-");
    cleanup = t.cleanup;
    const shared = {
      backendUrl: `zookeeper://${zk.connectString}/change-push`,
      databaseUrl: `file:${join(t.dir, "history.db")}`,
    };
    // only b's scheduler ticks, so a scheduled publish is fired on b; one after the other: the
    // first creates the chroot and the database schema
    a = await start(join(t.dir, "a"), { ...shared, scheduleTickMs: 0 });
    b = await start(join(t.dir, "b"), { ...shared, scheduleTickMs: 100 });
    await ensureUser(a.url, "push-author", [{ pathPrefix: "/", role: "editor" }]);
    await ensureUser(a.url, "push-reviewer", [{ pathPrefix: "/push", role: "publisher" }]);
    const admin = client(a, ADMIN_USER);
    for (const path of ["/push", "/push/a.txt", "/push/s.txt"]) await admin.config.create.mutate({ path, content: "" });
    await admin.releases.setPolicy.mutate({ prefix: "/push", mode: "review", approvalsRequired: 1 });
  }, 300_000);

  afterAll(async () => {
    sockets.closeAll();
    await a?.close();
    await b?.close();
    await zk?.stop();
    await cleanup?.();
  }, 120_000);

  it("a reviewer on B hears of a change proposed on A; the author on A hears B's approval and publish", async () => {
    const [onA, onB] = [a as RunningServer, b as RunningServer];
    const authorOnA = await changeListener(onA.url, "push-author", sockets);
    const reviewerOnB = await changeListener(onB.url, "push-reviewer", sockets);
    const reviewerOnA = await changeListener(onA.url, "push-reviewer", sockets);
    const author = client(onA, "push-author");
    const reviewer = client(onB, "push-reviewer");

    const change = await author.changes.create.mutate({
      title: "tune a",
      items: [{ path: "/push/a.txt", content: "2" }],
    });
    await author.changes.submit.mutate({ id: change.id });
    // B's reviewer count goes up although A handled both actions
    await vi.waitFor(() => expect(reviewerOnB.map((x) => x.action)).toEqual(["create", "submit"]), LIVE);
    expect(reviewerOnB[1]).toMatchObject({ id: change.id, status: "in_review", author: "push-author", revision: 1 });

    await reviewer.changes.review.mutate({ id: change.id, verdict: "approve" });
    await reviewer.changes.publish.mutate({ id: change.id });
    const outcome = [
      ["create", "draft"],
      ["submit", "in_review"],
      ["approve", "approved"],
      ["publish", "published"],
    ];
    // the author on A sees the outcome of what B did; each action once, on both servers
    for (const heard of [authorOnA, reviewerOnA, reviewerOnB])
      await vi.waitFor(() => expect(heard.map((x) => [x.action, x.status])).toEqual(outcome), LIVE);
    expect(authorOnA.every((x) => x.id === change.id && x.author === "push-author")).toBe(true);
  }, 120_000);

  it("the author on A hears of the scheduled publish B's scheduler fired", async () => {
    const [onA] = [a as RunningServer];
    const authorOnA = await changeListener(onA.url, "push-author", sockets);
    const author = client(onA, "push-author");
    const reviewer = client(onA, "push-reviewer");

    const change = await author.changes.create.mutate({
      title: "later",
      items: [{ path: "/push/s.txt", content: "s" }],
    });
    await author.changes.submit.mutate({ id: change.id });
    await reviewer.changes.review.mutate({ id: change.id, verdict: "approve" });
    await reviewer.changes.schedule.mutate({ id: change.id, at: Date.now() + 1_000 });
    await vi.waitFor(
      () =>
        expect(authorOnA.map((x) => [x.action, x.status])).toEqual([
          ["create", "draft"],
          ["submit", "in_review"],
          ["approve", "approved"],
          ["schedule", "approved"],
          ["publish", "published"],
        ]),
      LIVE,
    );
    expect((await client(onA, ADMIN_USER).config.get.query({ path: "/push/s.txt" })).data).toBe("s");
  }, 120_000);
});
