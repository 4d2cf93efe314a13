/**
 * Issue 14 item 6 on the embedded engine: SDKs watching the 20 keys of one multi get them
 * switched together (`watchMany`), and the instance list shows the release each one applied.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";

import { useServer } from "./server-fixture.ts";
import { apiClient, eventually, sdkClients, type Api } from "./sdk-fixtures.ts";
import { releaseScenario } from "./sdk-release-fixtures.ts";

let server: RunningServer;
let api: Api;
const clients = sdkClients();

useServer({
  prefix: "conifer-sdk-release-",
  ready: (s) => {
    server = s;
    api = apiClient(server.url);
  },
});
afterEach(async () => {
  await clients.closeAll();
  expect(clients.warnings.splice(0)).toEqual([]);
});

describe("SDK sees a release atomically (embedded engine)", () => {
  it("a multi of 20 keys reaches every watchMany callback all-old or all-new, and instances report it", async () => {
    const session = await server.backend.connect();
    try {
      const { zxid, sdks } = await releaseScenario({
        api,
        urls: [server.url],
        clients,
        session,
        prefix: "/release/embedded",
        perServer: 4,
      });
      await eventually(async () => {
        const { instances } = await api.instances.list.query({});
        const mine = instances.filter((i) => sdks.some((s) => s.instanceId === i.instanceId));
        return mine.length === sdks.length && mine.every((i) => i.release === zxid.toString());
      }, "every instance reports the release it applied");
    } finally {
      await session.close();
    }
  });
});
