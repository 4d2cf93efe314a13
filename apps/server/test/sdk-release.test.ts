/**
 * Issue 14 item 6 on the embedded engine: SDKs watching the 20 keys of one multi get them
 * switched together (`watchMany`), and the instance list shows the release each one applied.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { start, tempDir } from "./helpers.ts";
import { apiClient, eventually, sdkClients, type Api } from "./sdk-fixtures.ts";
import { releaseScenario } from "./sdk-release-fixtures.ts";

let server: RunningServer;
let api: Api;
let cleanup: () => Promise<void>;
const clients = sdkClients();

beforeAll(async () => {
  const tmp = await tempDir("conifer-sdk-release-");
  cleanup = tmp.cleanup;
  server = await start(tmp.dir);
  api = apiClient(server.url);
});
afterEach(async () => {
  await clients.closeAll();
  expect(clients.warnings.splice(0)).toEqual([]);
});
afterAll(async () => {
  await server.close();
  await cleanup();
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
