/**
 * The console while its coordination backend is really down: a Conifer server on a real Apache
 * ZooKeeper (one standalone member from Debian's package), a real Chromium. Killing the JVM
 * must turn the top-bar pill to read-only and show the banner; a publish is refused with the
 * server's clear message and the edit is kept; once ZooKeeper is back the pill and banner
 * recover by themselves and the same edit publishes. And when the Conifer server itself goes
 * away (stopped, then started again on the same port), the pill says Offline, the banner says
 * live updates are paused, and both clear once the page has reconnected on its own.
 * Ceilings are for hangs only.
 */
import { startEnsemble, zookeeperInstalled, type Ensemble } from "@conifer/zookeeper/testing";
import { describe, expect, it } from "vitest";
import { editorText, newUser, setEditorText, shoot, startFixture, until, type Fixture, useFixture } from "./harness.ts";

const PATH = "/outage/mode.json";

let zk: Ensemble | undefined;
let fx: Fixture | undefined;

describe.skipIf(!zookeeperInstalled())(
  "console while the coordination backend is down (real ZooKeeper)",
  { timeout: 300_000 },
  () => {
    useFixture(
      async () => {
        zk = await startEnsemble({ size: 1 });
        fx = await startFixture({ backendUrl: `zookeeper://${zk.connectString}`, sessionTimeoutMs: 20_000 });
      },
      async () => {
        await zk?.stop();
      },
    );

    it("shows the backend as read-only, refuses a publish with a clear message, keeps the edit and recovers", async () => {
      const f = fx!;
      const ensemble = zk!;
      await f.api.config.create.mutate({ path: "/outage", content: "" });
      await f.api.config.create.mutate({ path: PATH, content: '{ "mode": "on" }' });
      const { context, page } = await newUser(f.browser, "Olga");
      await page.goto(f.server.url + "/nodes" + PATH, { timeout: 120_000 });
      await until("the config in the editor", async () => (await editorText(page)).includes('"mode": "on"'));

      const pill = page.locator('[data-testid="backend-status"]');
      const banner = page.locator('[data-testid="backend-banner"]');
      const pillIs = async (tone: string, text: string) =>
        ((await pill.getAttribute("class")) ?? "").split(" ").includes(`status-${tone}`) &&
        (await pill.innerText()).trim() === text;
      await until("the pill to show a writable ZooKeeper", () => pillIs("ok", "zookeeper"));
      expect(await banner.count()).toBe(0);

      // an edit in progress when the backend goes away
      const edited = '{ "mode": "off" }';
      await setEditorText(page, edited);
      await ensemble.kill(ensemble.members[0]!.id);

      await until("the pill to say read-only", () => pillIs("warn", "Read-only"), 120_000);
      expect(await pill.getAttribute("title")).toMatch(/coordination backend/i);
      await banner.getByText(/Publishing is paused: .*coordination backend/i).waitFor();
      await shoot(page, "30-backend-down");
      // the cluster screen (in a second tab, the edit stays open) says the same, member by member
      const clusterTab = await context.newPage();
      await clusterTab.goto(f.server.url + "/cluster", { timeout: 120_000 });
      await clusterTab.getByText("refused (read-only)").waitFor({ timeout: 60_000 });
      await clusterTab.locator('[data-testid="members-table"] .badge-role-unreachable').waitFor({ timeout: 60_000 });
      await shoot(clusterTab, "33-cluster-backend-down");
      await clusterTab.close();

      // the server refuses the publish and says why; nothing is lost
      await page.locator('[data-testid="review-button"]').click();
      await page.locator('[data-testid="publish-button"]').click();
      const refusal = page.locator('[data-testid="publish-error"]');
      await refusal.waitFor({ timeout: 120_000 });
      expect(await refusal.innerText()).toMatch(/^Not published: Coordination backend unavailable \(.+\); try again/);
      await shoot(page, "31-publish-refused");
      await page.getByRole("button", { name: "Back to editing" }).click();
      expect(await editorText(page)).toBe(edited);

      // ZooKeeper comes back (same data dir): pill and banner recover without a reload
      await ensemble.start(ensemble.members[0]!.id);
      await until("the pill to show a writable ZooKeeper again", () => pillIs("ok", "zookeeper"), 120_000);
      await until("the banner to go", async () => (await banner.count()) === 0);

      // and the same edit publishes
      await page.locator('[data-testid="review-button"]').click();
      await page.locator('[data-testid="publish-button"]').click();
      await page.locator('[data-testid="notice"]').getByText("Published version 1").waitFor({ timeout: 120_000 });
      const live = await f.api.config.get.query({ path: PATH });
      expect(live).toMatchObject({ data: edited, stat: { version: 1 } });
      await context.close();
    });

    it("says Offline while the Conifer server is unreachable and reconnects by itself when it is back", async () => {
      const f = fx!;
      const { context, page } = await newUser(f.browser, "Olga");
      await page.goto(f.server.url + "/nodes" + PATH, { timeout: 120_000 });
      await until("the config in the editor", async () => (await editorText(page)).includes('"mode"'));
      const pill = page.locator('[data-testid="backend-status"]');
      const banner = page.locator('[data-testid="backend-banner"]');
      const pillIs = async (tone: string, text: string) =>
        ((await pill.getAttribute("class")) ?? "").split(" ").includes(`status-${tone}`) &&
        (await pill.innerText()).trim() === text;
      await until("the pill to show a writable ZooKeeper", () => pillIs("ok", "zookeeper"));

      await f.restartServer(async () => {
        await until("the pill to say Offline", () => pillIs("bad", "Offline"), 120_000);
        await banner.getByText(/Live updates paused|Cannot reach the server/).waitFor();
        await shoot(page, "32-server-offline");
      });
      await until("the pill to recover", () => pillIs("ok", "zookeeper"), 120_000);
      await until("the banner to go", async () => (await banner.count()) === 0);
      // the page works again without a reload: a change made now shows up live
      const { stat } = await f.api.config.get.query({ path: PATH });
      await f.api.config.update.mutate({ path: PATH, content: '{ "mode": "auto" }', expectedVersion: stat.version });
      await until(
        "the change to arrive live",
        async () => (await editorText(page)).includes('"mode": "auto"'),
        120_000,
      );
      await context.close();
    });
  },
);
