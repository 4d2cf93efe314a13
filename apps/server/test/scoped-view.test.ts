/**
 * A user scoped to a prefix sees only their slice, through the tRPC door against a real server
 * (issue 13 items 3 and 12): the branches above their prefix as plain navigation, child counts
 * of what they may see, search and the Instances list limited to what they may read, and the
 * system subtrees (/conifer, /zookeeper) left out unless an admin asks for them.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { apiToken, authedFetch, ensureUser } from "./auth.ts";
import { client, failure, type Client } from "./helpers.ts";
import { useServer } from "./server-fixture.ts";
import { eventually, sdkClients } from "./sdk-fixtures.ts";

let server: RunningServer;
let admin: Client;
let sam: Client;
const sdks = sdkClients();

const STAGING = "/payments/staging/limits.json";
const PROD = "/payments/prod/limits.json";

useServer({
  prefix: "conifer-scoped-",
  ready: async (s) => {
    server = s;
    admin = client(server, "ada");
    for (const path of ["/payments", "/payments/staging", "/payments/prod", "/payments/prod/eu", "/orders"])
      await admin.config.create.mutate({ path, content: "" });
    await admin.config.create.mutate({ path: STAGING, content: '{"max":1}' });
    await admin.config.create.mutate({ path: PROD, content: '{"max":2}' });
    await admin.config.create.mutate({ path: "/orders/limits.json", content: '{"max":3}' });
    await ensureUser(server.url, "sam", [{ pathPrefix: "/payments/staging", role: "viewer" }]);
    sam = client(server, "sam");
  },
});

afterEach(async () => {
  await sdks.closeAll();
});

const names = (l: { children: { name: string }[] }) => l.children.map((c) => c.name);

describe("what a user scoped to a prefix sees", () => {
  it("lists the branches above the prefix with counts of what lies on the way only", async () => {
    const root = await sam.tree.children.query({ path: "/" });
    expect(names(root)).toEqual(["payments"]);
    expect(root.stat.numChildren).toBe(1);
    // /payments holds staging and prod: only the one on the way to their prefix is counted
    expect(root.children[0]?.stat.numChildren).toBe(1);
    const payments = await sam.tree.children.query({ path: "/payments" });
    expect(names(payments)).toEqual(["staging"]);
    expect(payments.stat.numChildren).toBe(1);
    // inside the prefix, everything, with real counts
    expect(payments.children[0]?.stat.numChildren).toBe(1);
    expect(names(await sam.tree.children.query({ path: "/payments/staging" }))).toEqual(["limits.json"]);
    // off the way: refused
    expect((await failure(sam.tree.children.query({ path: "/payments/prod" }))).code).toBe("FORBIDDEN");
    expect((await failure(sam.tree.children.query({ path: "/orders" }))).code).toBe("FORBIDDEN");
    // an admin sees all of it
    const all = await admin.tree.children.query({ path: "/payments" });
    expect(names(all)).toEqual(["prod", "staging"]);
    expect(all.children.find((c) => c.name === "prod")?.stat.numChildren).toBe(2);
  });

  it("searches only what the user may read", async () => {
    const byPath = await sam.tree.search.query({ query: "limits", mode: "path" });
    expect(byPath.matches.map((m) => m.path)).toEqual([STAGING]);
    const byContent = await sam.tree.search.query({ query: "max", mode: "content" });
    expect(byContent.matches.map((m) => m.path)).toEqual([STAGING]);
    // under a branch they only pass through: still their slice only
    const under = await sam.tree.search.query({ query: "payments", mode: "path", under: "/payments" });
    expect(under.matches.map((m) => m.path)).toEqual(["/payments/staging", STAGING]);
    expect((await failure(sam.tree.search.query({ query: "x", mode: "path", under: "/orders" }))).code).toBe(
      "FORBIDDEN",
    );
    const everything = await admin.tree.search.query({ query: "limits", mode: "path" });
    expect(everything.matches.map((m) => m.path).sort()).toEqual(["/orders/limits.json", PROD, STAGING].sort());
  });

  it("lists only the instances that applied a config the user may read, with only those configs", async () => {
    const both = sdks.make({ url: server.url, app: "both-app" });
    await both.get(STAGING);
    await both.get(PROD);
    const prodOnly = sdks.make({ url: server.url, app: "prod-app" });
    await prodOnly.get(PROD);
    await eventually(async () => {
      const { instances } = await admin.instances.list.query();
      const apps = instances.map((i) => `${i.app}:${i.applied.length}`).sort();
      return apps.includes("both-app:2") && apps.includes("prod-app:1");
    }, "both instances reported what they applied");

    const { instances } = await sam.instances.list.query();
    expect(instances.map((i) => i.app)).toEqual(["both-app"]);
    expect(instances[0]?.applied.map((a) => a.path)).toEqual([STAGING]);
    // a path filter is a prefix, and one the user only passes through is allowed (still their slice)
    expect((await sam.instances.list.query({ path: "/payments" })).instances.map((i) => i.app)).toEqual(["both-app"]);
    expect((await failure(sam.instances.list.query({ path: "/orders" }))).code).toBe("FORBIDDEN");
    const adminView = await admin.instances.list.query({ path: "/payments/prod" });
    expect(adminView.instances.map((i) => i.app).sort()).toEqual(["both-app", "prod-app"]);
  });
});

describe("system subtrees", () => {
  it("are left out of the root listing and of search unless an admin asks for them", async () => {
    const root = await admin.tree.children.query({ path: "/" });
    expect(names(root)).toEqual(["orders", "payments"]);
    expect(root.stat.numChildren).toBe(2);
    expect(names(await admin.tree.children.query({ path: "/", includeSystem: true }))).toEqual([
      "conifer",
      "orders",
      "payments",
      "zookeeper",
    ]);
    // inside a system subtree its children are listed (someone who opened it asked for it)
    expect(names(await admin.tree.children.query({ path: "/conifer" }))).toContain("instances");

    await ensureUser(server.url, "vic", [{ pathPrefix: "/", role: "viewer" }]);
    const vic = client(server, "vic");
    expect(names(await vic.tree.children.query({ path: "/", includeSystem: true }))).toEqual(["orders", "payments"]);

    expect((await admin.tree.search.query({ query: "zoo", mode: "path" })).matches).toEqual([]);
    expect((await admin.tree.search.query({ query: "conifer", mode: "path" })).matches).toEqual([]);
    const shown = await admin.tree.search.query({ query: "zoo", mode: "path", includeSystem: true });
    expect(shown.matches.map((m) => m.path)).toContain("/zookeeper");
    expect((await vic.tree.search.query({ query: "zoo", mode: "path", includeSystem: true })).matches).toEqual([]);
  });
});

describe("system subtrees opened directly (issue 13 item 12)", () => {
  it("the child count of / is what the caller is shown: system nodes only for an admin who asks", async () => {
    expect((await admin.config.get.query({ path: "/" })).stat.numChildren).toBe(2);
    expect((await admin.config.get.query({ path: "/", includeSystem: true })).stat.numChildren).toBe(4);
    await ensureUser(server.url, "vic", [{ pathPrefix: "/", role: "viewer" }]);
    const vic = client(server, "vic");
    expect((await vic.config.get.query({ path: "/", includeSystem: true })).stat.numChildren).toBe(2);
  });

  it("are refused to a non-admin through tRPC, REST and the SDK's socket, with a clear reason", async () => {
    await ensureUser(server.url, "vic", [{ pathPrefix: "/", role: "viewer" }]);
    const vic = client(server, "vic");
    for (const path of ["/zookeeper", "/conifer", "/conifer/instances"]) {
      const refused = await failure(vic.config.get.query({ path }));
      expect(refused.code).toBe("FORBIDDEN");
      expect(refused.details).toMatchObject({ reason: "system", path });
      expect(refused.message).toMatch(/system node/);
      expect((await failure(vic.tree.children.query({ path }))).code).toBe("FORBIDDEN");
      expect((await failure(vic.history.list.query({ path }))).code).toBe("FORBIDDEN");
    }
    // an admin opens them (the console shows them once the admin turned system nodes on)
    expect((await admin.config.get.query({ path: "/zookeeper" })).path).toBe("/zookeeper");
    expect(names(await admin.tree.children.query({ path: "/conifer" }))).toContain("instances");

    const rest = (path: string, init?: RequestInit, f: typeof fetch = fetch) =>
      f(`${server.url}/api/v1/config?path=${encodeURIComponent(path)}`, init);
    const asVic = await rest("/zookeeper", undefined, authedFetch(server.url, "vic"));
    expect(asVic.status).toBe(403);
    expect(((await asVic.json()) as { error: { message: string } }).error.message).toMatch(/system node/);
    // a token scoped to "/" (what an application's SDK holds) never reads them
    const { token } = await apiToken(server.url, ["/"], "read");
    const bearer = { headers: { authorization: `Bearer ${token}` } };
    expect((await rest("/conifer", bearer)).status).toBe(403);
    expect((await rest("/orders/limits.json", bearer)).status).toBe(200);
    expect((await rest("/zookeeper", undefined, authedFetch(server.url, "ada"))).status).toBe(200);

    const sdk = sdks.make({ url: server.url, app: "curious-app" });
    await expect(sdk.get("/conifer/instances")).rejects.toThrow(/system node/);
    expect(await sdk.get("/orders/limits.json")).toBeTruthy();
  });
});
