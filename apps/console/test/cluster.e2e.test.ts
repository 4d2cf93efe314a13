/**
 * Issue 15 item 6 in a real Chromium against a real server: the cluster screen shows the
 * ZooKeeper client port, a live wire session opened with the repo's wire client (its session
 * id, negotiated timeout, last operation) and the `mntr` figures. Screenshots at 1280 and 390 px.
 */
import { createZooKeeperBackend } from "@conifer/zookeeper";
import { freePort } from "@conifer/zookeeper/testing";
import { describe, expect, it } from "vitest";
import { newUser, shoot, startFixture, until, type Fixture, useFixture } from "./harness.ts";

let fx: Fixture;
let zkPort: number;

useFixture(async () => {
  zkPort = await freePort();
  fx = await startFixture({ zkPort });
});

describe("the cluster screen's ZooKeeper client port", { timeout: 240_000 }, () => {
  it("lists a live wire session with its id, timeout and last operation, and the mntr figures", async () => {
    const wire = createZooKeeperBackend({ connectString: `127.0.0.1:${zkPort}`, sessionTimeoutMs: 12_000 });
    try {
      const session = await wire.connect();
      await session.create("/from-a-zookeeper-client", Buffer.from("hello"));
      const sid = `0x${session.sessionId.toString(16)}`;

      const { context, page } = await newUser(fx.browser, "Carla");
      await page.goto(fx.server.url + "/cluster", { timeout: 120_000 });
      expect(await page.getByTestId("zk-port").textContent({ timeout: 60_000 })).toContain(`:${zkPort}`);
      const row = page.getByTestId("zk-sessions").locator("tr", { hasText: sid });
      await row.waitFor({ timeout: 60_000 });
      expect(await row.textContent()).toContain("12000 ms");
      // the client's pings follow its create, so the last op is either, as `cons` would show it
      expect(await row.locator('td[data-label="Last op"]').textContent()).toMatch(/^(CREA|PING)$/);
      const mntr = page.getByTestId("zk-mntr");
      expect(await mntr.locator("tr", { hasText: "zk_server_state" }).textContent()).toContain("standalone");
      // the section sits below the backend's own figures: bring it into view for each width
      const top = (testId: string) => async (p: typeof page) => {
        await p.getByTestId(testId).evaluate((el) => {
          el.scrollIntoView({ block: "start" });
        });
      };
      await top("zk-port-title")(page);
      await shoot(page, "40-cluster-zookeeper", top("zk-port-title"));
      await top("zk-mntr")(page);
      await shoot(page, "41-cluster-zookeeper-mntr", top("zk-mntr"));

      // live: the closed session leaves the list without a reload
      await wire.close();
      await until("the closed session gone", async () => (await row.count()) === 0);
      await context.close();
    } finally {
      await wire.close();
    }
  });
});
