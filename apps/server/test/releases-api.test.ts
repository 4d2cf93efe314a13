/**
 * Change requests and releases through the tRPC client against a real server (engine + SQLite):
 * an admin sets a review policy, the author drafts three keys and cannot approve their own change,
 * a viewer cannot propose, a reviewer approves and publishes (all three keys at one zxid), the
 * release rolls back as a whole, and the audit log shows every step.
 */
import { describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { ADMIN_USER, apiToken } from "./auth.ts";
import { client, failure, tokenClient, usersWithRoles, type Client } from "./helpers.ts";
import { useServer } from "./server-fixture.ts";

let server: RunningServer;
let admin: Client;
let author: Client;
let reviewer: Client;
let viewer: Client;

useServer({
  prefix: "conifer-releases-",
  ready: async (s) => {
    server = s;
    ({
      "rel-author": author,
      "rel-reviewer": reviewer,
      "rel-viewer": viewer,
    } = await usersWithRoles(server, {
      "rel-author": [{ pathPrefix: "/", role: "publisher" }],
      "rel-reviewer": [{ pathPrefix: "/", role: "publisher" }],
      "rel-viewer": [{ pathPrefix: "/", role: "viewer" }],
    }));
    admin = client(server, ADMIN_USER);
  },
});

describe("releases through tRPC", () => {
  it("draft, refused self-approval, approve, publish at one zxid, roll back, audited", async () => {
    const paths = ["/shop/prod/a.json", "/shop/prod/b.yaml", "/shop/prod/c.properties"];
    const before = ['{"n":1}', "n: 1\n", "n=1\n"];
    for (const [i, path] of paths.entries()) await author.config.create.mutate({ path, content: before[i] ?? "" });
    // a direct save is a one-key release already
    expect((await author.releases.list.query({ under: "/shop/prod/a.json" })).length).toBe(1);

    expect(await failure(author.releases.setPolicy.mutate({ prefix: "/shop", mode: "review" }))).toMatchObject({
      code: "FORBIDDEN",
    });
    await admin.releases.setPolicy.mutate({ prefix: "/shop", mode: "review", approvalsRequired: 1 });
    expect(await author.releases.policyOf.query({ path: "/shop/prod/a.json" })).toMatchObject({
      prefix: "/shop",
      mode: "review",
    });
    expect(
      await failure(author.config.update.mutate({ path: paths[0] ?? "", content: "{}", expectedVersion: 0 })),
    ).toMatchObject({ code: "FORBIDDEN" });

    const after = ['{"n":2}', "n: 2\n", "n=2\n"];
    expect(
      await failure(viewer.changes.create.mutate({ title: "x", items: [{ path: paths[0] ?? "", content: "{}" }] })),
    ).toMatchObject({ code: "FORBIDDEN" });
    const change = await author.changes.create.mutate({
      title: "bump n",
      message: "all three",
      items: paths.map((path, i) => ({ path, content: after[i] ?? "" })),
    });
    await author.changes.submit.mutate({ id: change.id });
    expect(await failure(author.changes.review.mutate({ id: change.id, verdict: "approve" }))).toMatchObject({
      code: "FORBIDDEN",
      httpStatus: 403,
    });
    expect((await reviewer.changes.list.query({ reviewable: true })).map((c) => c.id)).toContain(change.id);
    const view = await reviewer.changes.review.mutate({ id: change.id, verdict: "approve", comment: "ok" });
    expect(view.change.status).toBe("approved");
    const release = await reviewer.changes.publish.mutate({ id: change.id });
    expect(release).toMatchObject({ status: "published", authors: ["rel-author"], approvers: ["rel-reviewer"] });
    const live = await Promise.all(paths.map((path) => author.config.get.query({ path })));
    expect(live.map((n) => n.data)).toEqual(after);
    expect(new Set(live.map((n) => n.stat.mzxid))).toEqual(new Set([release.zxid]));
    const rows = await author.history.list.query({ path: paths[1] ?? "" });
    expect(rows.items[0]).toMatchObject({ mzxid: release.zxid, author: "rel-author" });

    const back = await reviewer.releases.rollback.mutate({ id: release.id });
    expect(back).toMatchObject({ status: "published", rollbackOf: release.id });
    const restored = await Promise.all(paths.map((path) => author.config.get.query({ path })));
    expect(restored.map((n) => n.data)).toEqual(before);
    expect(new Set(restored.map((n) => n.stat.mzxid))).toEqual(new Set([back.zxid]));
    expect((await author.releases.get.query({ id: back.id })).items.map((i) => i.toContent)).toEqual(before);

    const audit = (await admin.audit.list.query({ limit: 100 })).items.map((a) => a.action);
    for (const action of [
      "policy.set",
      "change.create",
      "change.submit",
      "change.approve",
      "change.publish",
      "release.rollback",
    ])
      expect(audit).toContain(action);
  });

  it("a publish whose key moved names it and writes nothing", async () => {
    await admin.releases.setPolicy.mutate({ prefix: "/race", mode: "direct" });
    await author.config.create.mutate({ path: "/race/x.txt", content: "0" });
    await author.config.create.mutate({ path: "/race/y.txt", content: "0" });
    const change = await author.changes.create.mutate({
      title: "both",
      items: [
        { path: "/race/x.txt", content: "1" },
        { path: "/race/y.txt", content: "1" },
      ],
    });
    // direct prefix: no approval needed
    expect((await author.changes.submit.mutate({ id: change.id })).status).toBe("approved");
    await reviewer.config.update.mutate({ path: "/race/y.txt", content: "theirs", expectedVersion: 0 });
    const err = await failure(author.changes.publish.mutate({ id: change.id }));
    expect(err).toMatchObject({ code: "CONFLICT", httpStatus: 409, details: { conflicts: ["/race/y.txt"] } });
    expect((await author.config.get.query({ path: "/race/x.txt" })).data).toBe("0");
    expect((await author.changes.get.query({ id: change.id })).change.status).toBe("conflicted");
  });

  it("an API token may propose (CI) but never approve or publish: a person does", async () => {
    await author.config.create.mutate({ path: "/cia/flags.json", content: "{}" });
    await admin.releases.setPolicy.mutate({ prefix: "/cia", mode: "review" });
    const { token } = await apiToken(server.url, ["/cia"], "read-write");
    const ci = tokenClient(server, token);
    const change = await ci.changes.create.mutate({
      title: "from CI",
      items: [{ path: "/cia/flags.json", content: '{"on":true}' }],
    });
    expect(change.author).toMatch(/^token:/);
    await ci.changes.submit.mutate({ id: change.id });
    expect(await failure(ci.changes.review.mutate({ id: change.id, verdict: "approve" }))).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await failure(ci.changes.publish.mutate({ id: change.id }))).toMatchObject({ code: "FORBIDDEN" });
    await reviewer.changes.review.mutate({ id: change.id, verdict: "approve" });
    expect(await failure(ci.changes.publish.mutate({ id: change.id }))).toMatchObject({ code: "FORBIDDEN" });
    await reviewer.changes.publish.mutate({ id: change.id });
    expect((await author.config.get.query({ path: "/cia/flags.json" })).data).toBe('{"on":true}');
  });

  it("a recursive delete is a release of every node; REST shows it; its rollback restores the subtree at one zxid", async () => {
    const tree = { "/del/app": "top", "/del/app/db.json": '{"pool":5}', "/del/app/db.json/note.txt": "n" };
    for (const [path, content] of Object.entries(tree)) await author.config.create.mutate({ path, content });
    const top = await author.config.get.query({ path: "/del/app" });
    await author.config.delete.mutate({ path: "/del/app", expectedVersion: top.stat.version, recursive: true });
    const [release] = await author.releases.list.query({ under: "/del/app" });
    expect(release?.items.map((i) => [i.path, i.op, i.fromContent])).toEqual(
      Object.entries(tree).map(([path, content]) => [path, "delete", content]),
    );
    const { token } = await apiToken(server.url, ["/del"], "read");
    const res = await fetch(`${server.url}/api/v1/releases/${release?.id ?? ""}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { path: string }[] };
    expect(body.items.map((i) => i.path)).toEqual(Object.keys(tree));

    const back = await reviewer.releases.rollback.mutate({ id: release?.id ?? "" });
    const live = await Promise.all(Object.keys(tree).map((path) => author.config.get.query({ path })));
    expect(live.map((n) => n.data)).toEqual(Object.values(tree));
    expect([...new Set(live.map((n) => n.stat.mzxid))]).toEqual([back.zxid]);
  });
});
