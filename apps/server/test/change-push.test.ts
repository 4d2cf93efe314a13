/**
 * The review count and the author's view of a change are pushed, not polled (issue 14): against
 * a real server (engine + SQLite) with socket.io clients signed in as users, every change action
 * reaches the author and the reviewers who may approve its keys as a typed `changeActivity`
 * event, and nobody else (a publisher of another prefix hears nothing).
 */
import { describe, expect, it, vi } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { ADMIN_USER, ensureUser } from "./auth.ts";
import { changeListener } from "./change-listener.ts";
import { client } from "./helpers.ts";
import { useServer } from "./server-fixture.ts";
import { socketsOfSuite } from "./sockets.ts";

let server: RunningServer;
const sockets = socketsOfSuite();

useServer({
  prefix: "conifer-change-push-",
  ready: async (s) => {
    server = s;
    await ensureUser(server.url, "push-author", [{ pathPrefix: "/", role: "editor" }]);
    await ensureUser(server.url, "push-reviewer", [{ pathPrefix: "/push", role: "publisher" }]);
    await ensureUser(server.url, "push-outsider", [
      { pathPrefix: "/other", role: "publisher" },
      { pathPrefix: "/", role: "viewer" },
    ]);
    const admin = client(server, ADMIN_USER);
    await admin.config.create.mutate({ path: "/push", content: "" });
    await admin.config.create.mutate({ path: "/push/a.txt", content: "one" });
    await admin.config.create.mutate({ path: "/other", content: "" });
    await admin.config.create.mutate({ path: "/other/b.txt", content: "b" });
    await admin.releases.setPolicy.mutate({ prefix: "/push", mode: "review", approvalsRequired: 1 });
  },
  closing: () => {
    sockets.closeAll();
  },
});

const listener = (user: string) => changeListener(server.url, user, sockets);

describe("changeActivity", () => {
  it("reaches the author and the reviewers of the change's prefix, live; nobody else", async () => {
    const toAuthor = await listener("push-author");
    const toReviewer = await listener("push-reviewer");
    const toOutsider = await listener("push-outsider");
    const author = client(server, "push-author");
    const reviewer = client(server, "push-reviewer");

    const change = await author.changes.create.mutate({
      title: "tune a",
      items: [{ path: "/push/a.txt", content: "two" }],
    });
    await author.changes.submit.mutate({ id: change.id });
    // the reviewer's count can go up now: told, not polled
    await vi.waitFor(() => expect(toReviewer.map((a) => a.action)).toEqual(["create", "submit"]), {
      timeout: 20_000,
    });
    expect(toReviewer[1]).toMatchObject({ id: change.id, status: "in_review", author: "push-author" });

    await reviewer.changes.review.mutate({ id: change.id, verdict: "approve" });
    await reviewer.changes.publish.mutate({ id: change.id });
    // the author sees the outcome as it happens
    await vi.waitFor(
      () =>
        expect(toAuthor.map((a) => [a.action, a.status]).slice(-2)).toEqual([
          ["approve", "approved"],
          ["publish", "published"],
        ]),
      { timeout: 20_000 },
    );

    // the outsider's own change is the first thing it hears: nothing of /push reached it before
    const own = await client(server, "push-outsider").changes.create.mutate({
      title: "elsewhere",
      items: [{ path: "/other/b.txt", content: "c" }],
    });
    await vi.waitFor(() => expect(toOutsider.length).toBeGreaterThan(0), { timeout: 20_000 });
    expect(toOutsider).toEqual([
      { id: own.id, status: "draft", author: "push-outsider", revision: 1, action: "create" },
    ]);
    // and the /push reviewer does not hear of a change on /other
    expect(toReviewer.every((a) => a.id === change.id)).toBe(true);
  });
});
