/**
 * Issue 13 item 3 in a real Chromium against a real server: a user scoped to a prefix (viewer
 * on /payments/staging) lands on it instead of a refusal of "/", sees the branches above it as
 * plain navigation with counts of what they may see, and an Instances screen limited to the
 * configs they may read. Screenshots at 1280 and 390 px go to test-artifacts/screenshots.
 */
import { createClient, type ConiferClient } from "@conifer/sdk";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { sdkToken } from "../../server/test/auth.ts";
import { newUser, shoot, startFixture, until, type Fixture, useFixture } from "./harness.ts";

const STAGING = "/payments/staging/limits.json";
const PROD = "/payments/prod/limits.json";
let fx: Fixture;
let sdk: ConiferClient | null = null;

useFixture(
  async () => {
    fx = await startFixture();
    const mk = (path: string, content: string) => fx.api.config.create.mutate({ path, content, mode: "persistent" });
    for (const p of ["/payments", "/payments/staging", "/payments/prod", "/orders"]) await mk(p, "");
    await mk(STAGING, '{ "maxAmount": 10 }');
    await mk(PROD, '{ "maxAmount": 100 }');
    await mk("/payments/prod/flags.yaml", "retries: 3\n");
    await mk("/orders/limits.json", "{}");
  },
  async () => {
    // the fixture is closed by useFixture; the SDK client is this file's own
    await sdk?.close().catch(() => {});
  },
);

/** Error panels and banners (not Next's route announcer, which also has role=alert). */
const errors = (page: Page) => page.locator(".panel-error, .banner-bad, .tree-note-error");
const tree = (page: Page) => page.getByRole("tree", { name: "znodes" });
const row = (page: Page, path: string) => tree(page).locator(`[data-path="${path}"]`);

describe("a user scoped to a prefix", { timeout: 240_000 }, () => {
  it("lands on their prefix and sees the branches above it as plain navigation", async () => {
    const { context, page } = await newUser(fx.browser, "Sam", [{ pathPrefix: "/payments/staging", role: "viewer" }]);
    await page.goto(fx.server.url + "/nodes", { timeout: 120_000 });
    await page.waitForURL(/\/nodes\/payments\/staging$/);
    await page.locator('[data-testid="node-path"]', { hasText: "staging" }).waitFor();
    await row(page, "/payments/staging").waitFor();
    expect(await errors(page).count()).toBe(0);
    // the tree: the way down, with counts of what Sam may see (not /payments/prod, not /orders)
    expect(await row(page, "/payments/prod").count()).toBe(0);
    expect(await row(page, "/orders").count()).toBe(0);
    expect((await row(page, "/payments").locator(".tree-count").innerText()).trim()).toBe("1");
    await shoot(page, "scoped-01-landing");

    // a branch above the prefix: its children, no content, no error
    await page.locator('[data-testid="node-path"]').getByRole("link", { name: "payments" }).click();
    await page.waitForURL(/\/nodes\/payments$/);
    const branch = page.getByTestId("branch-view");
    await branch.getByRole("link", { name: /staging/ }).waitFor();
    expect(await branch.getByRole("link").count()).toBe(1);
    expect(await errors(page).count()).toBe(0);
    expect(await page.locator('[data-testid="editor"]').count()).toBe(0);
    expect(await page.getByText(/may not read/).count()).toBe(0);
    await shoot(page, "scoped-02-branch");

    // the root opened from the breadcrumbs stays the root: the way down from there
    await page.locator('[data-testid="node-path"]').getByRole("link", { name: "/" }).click();
    await page.waitForURL(/\/nodes$/);
    await page
      .getByTestId("branch-view")
      .getByRole("link", { name: /payments/ })
      .waitFor();
    expect(await page.getByText(/may not read/).count()).toBe(0);

    // down again through the cards to the config, which is readable
    await page
      .getByTestId("branch-view")
      .getByRole("link", { name: /payments/ })
      .click();
    await page
      .getByTestId("branch-view")
      .getByRole("link", { name: /staging/ })
      .click();
    await page.waitForURL(/\/nodes\/payments\/staging$/);
    await context.close();
  });

  it("sees only the instances that applied a config they may read", async () => {
    sdk = createClient({ url: fx.server.url, app: "checkout-api", token: sdkToken(fx.server.url) });
    await sdk.get(STAGING);
    await sdk.get(PROD);
    await until("the instance reported both configs", async () => {
      const { instances } = await fx.api.instances.list.query();
      return instances.some((i) => i.applied.length === 2);
    });
    const { context, page } = await newUser(fx.browser, "Sam", [{ pathPrefix: "/payments/staging", role: "viewer" }]);
    await page.goto(fx.server.url + "/instances", { timeout: 120_000 });
    const table = page.getByTestId("instances-table");
    await table.getByText(STAGING).waitFor();
    expect(await table.getByText(PROD).count()).toBe(0);
    expect(await errors(page).count()).toBe(0);
    await shoot(page, "scoped-03-instances");
    await context.close();
  });
});

describe("system nodes", { timeout: 240_000 }, () => {
  it("are not in the root overview nor in path search unless the admin toggle is on", async () => {
    const { context, page } = await newUser(fx.browser, "Ada");
    await page.goto(fx.server.url + "/nodes", { timeout: 120_000 });
    const overview = page.locator(".overview");
    await overview.getByRole("link", { name: /\/payments/ }).waitFor();
    expect(await overview.getByRole("link", { name: /\/conifer|\/zookeeper/ }).count()).toBe(0);
    const search = page.getByLabel("Search the tree");
    const results = page.getByRole("list", { name: "Search results" });
    await search.fill("zookeeper");
    await page.getByText("No path matches “zookeeper”").waitFor();
    await search.fill("");

    await page.getByLabel("Show system nodes").check();
    await overview.getByRole("link", { name: /\/zookeeper/ }).waitFor();
    await overview.getByRole("link", { name: /\/conifer/ }).waitFor();
    await search.fill("zookeeper");
    await results.getByRole("link", { name: "/zookeeper", exact: true }).waitFor();
    await shoot(page, "scoped-04-system-search");
    await context.close();
  });
});
