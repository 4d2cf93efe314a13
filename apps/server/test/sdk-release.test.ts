/**
 * Issue 14 item 6 on the embedded engine: SDKs watching the 20 keys of one multi get them
 * switched together (`watchMany`), and the instance list shows the release each one applied.
 */
import { describe, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { eventually, useSdkServer, type Api } from "./sdk-fixtures.ts";
import { releaseScenario } from "./sdk-release-fixtures.ts";

let server: RunningServer;
let api: Api;
const clients = useSdkServer("conifer-sdk-release-", (s, a) => {
  server = s;
  api = a;
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
