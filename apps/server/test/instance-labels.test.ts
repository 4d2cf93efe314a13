/**
 * Instance labels end to end: SDK clients announce labels in their hello, the instance list
 * over tRPC shows them, label selectors pick exactly the matching instances, a bad selector is
 * a clear 400-class INVALID_INPUT, and a bad label fails at createClient, before any connection.
 */
import { describe, expect, it } from "vitest";
import { createClient } from "@conifer/sdk";
import type { RunningServer } from "../src/index.ts";
import { failure } from "./helpers.ts";
import { eventually, publish, useSdkServer, type Api } from "./sdk-fixtures.ts";

let server: RunningServer;
let api: Api;
const clients = useSdkServer("conifer-instance-labels-", (s, a) => {
  server = s;
  api = a;
});

describe("instance labels", () => {
  it("lists each instance's labels and filters by selector", async () => {
    await publish(api, "/labels/app.json", '{"on":true}');
    const eu = clients.make({ url: server.url, app: "labels-eu", labels: { region: "eu-1", canary: "true" } });
    const us = clients.make({ url: server.url, app: "labels-us", labels: { region: "us-1", canary: "false" } });
    const bare = clients.make({ url: server.url, app: "labels-bare" });
    await Promise.all([eu, us, bare].map((c) => c.get("/labels/app.json")));
    const names = new Map([
      [eu.instanceId, "eu"],
      [us.instanceId, "us"],
      [bare.instanceId, "bare"],
    ]);
    const select = async (selector?: string) => {
      const { instances } = await api.instances.list.query(selector === undefined ? {} : { selector });
      return instances.flatMap((i) => names.get(i.instanceId) ?? []).sort();
    };

    await eventually(async () => (await select()).length === 3, "all three instances registered");
    const { instances } = await api.instances.list.query({});
    const labelsOf = (id: string) => instances.find((i) => i.instanceId === id)?.labels;
    expect(labelsOf(eu.instanceId)).toEqual({ region: "eu-1", canary: "true" });
    expect(labelsOf(us.instanceId)).toEqual({ region: "us-1", canary: "false" });
    expect(labelsOf(bare.instanceId)).toEqual({});

    expect(await select("region=eu-1")).toEqual(["eu"]);
    expect(await select("canary!=true")).toEqual(["bare", "us"]);
    expect(await select("!canary")).toEqual(["bare"]);
    expect(await select(" region , canary == false ")).toEqual(["us"]);
    expect(await select("")).toEqual(["bare", "eu", "us"]);
  });

  it("refuses a bad selector with INVALID_INPUT naming the term", async () => {
    const err = await failure(api.instances.list.query({ selector: "region=eu-1,,x" }));
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.httpStatus).toBe(400);
    expect(err.message).toMatch(/empty term.*position 12/);
  });

  it("fails createClient clearly on an invalid label", () => {
    expect(() => createClient({ url: server.url, labels: { "bad key": "x" } })).toThrow(/invalid `labels`.*"bad key"/);
    expect(() => createClient({ url: server.url, labels: { region: "eu 1" } })).toThrow(TypeError);
  });
});
