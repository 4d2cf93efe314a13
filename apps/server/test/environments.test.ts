/** environments.compare through tRPC on a real server: field diffs per key, read needed on both prefixes. */
import { describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { apiToken, ensureUser } from "./auth.ts";
import { client, failure, tokenClient, type Client } from "./helpers.ts";
import { useServer } from "./server-fixture.ts";

let server: RunningServer;
let api: Client;

useServer({
  ready: async (s) => {
    server = s;
    api = client(server, "alice", "console");
    const files: [string, string][] = [
      ["/shop/staging/limits.json", '{"daily": {"max": 5000}, "currency": "EUR"}\n'],
      ["/shop/prod/limits.json", '{"daily": {"max": 1000}, "currency": "EUR"}\n'],
      ["/shop/staging/app.yaml", "http:\n  port: 8080\n"],
      ["/shop/prod/app.yaml", "http:\n  port: 8080\n"],
      ["/shop/staging/new.properties", "a=1\n"],
    ];
    for (const [path, content] of files) await api.config.create.mutate({ path, content });
  },
});

describe("environments.compare", () => {
  it("answers keys on one side, equal keys and field-level differences", async () => {
    const r = await api.environments.compare.query({ left: "/shop/staging", right: "/shop/prod" });
    expect(r.onlyLeft.map((k) => k.key)).toEqual(["new.properties"]);
    expect(r.onlyRight).toEqual([]);
    expect(r.equal.map((k) => k.key)).toEqual(["app.yaml"]);
    expect(r.differing).toHaveLength(1);
    expect(r.differing[0]).toMatchObject({
      key: "limits.json",
      format: "json",
      left: { path: "/shop/staging/limits.json", version: 0 },
      diff: { kind: "fields", differing: [{ key: "daily.max", path: ["daily", "max"], left: 5000, right: 1000 }] },
    });
  });

  it("refuses a viewer of one prefix only (403) and serves a read token scoped to both", async () => {
    await ensureUser(server.url, "stella", [{ pathPrefix: "/shop/staging", role: "viewer" }]);
    const stella = client(server, "stella");
    const err = await failure(stella.environments.compare.query({ left: "/shop/staging", right: "/shop/prod" }));
    expect(err).toMatchObject({ code: "FORBIDDEN", httpStatus: 403, details: { path: "/shop/prod" } });

    const { token } = await apiToken(server.url, ["/shop/staging", "/shop/prod"], "read");
    const ci = tokenClient(server, token);
    const r = await ci.environments.compare.query({ left: "/shop/staging", right: "/shop/prod" });
    expect(r.differing.map((d) => d.key)).toEqual(["limits.json"]);
  });

  it("a missing prefix is NOT_FOUND, overlapping prefixes INVALID_INPUT", async () => {
    expect(await failure(api.environments.compare.query({ left: "/shop/staging", right: "/shop/qa" }))).toMatchObject({
      code: "NOT_FOUND",
      httpStatus: 404,
    });
    expect((await failure(api.environments.compare.query({ left: "/shop", right: "/shop/prod" }))).code).toBe(
      "INVALID_INPUT",
    );
  });
});
