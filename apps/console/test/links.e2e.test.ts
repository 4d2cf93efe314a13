/**
 * Issue 13 item 8 in a real Chromium against a real server: the list screens' filters and the
 * tree search live in the URL. For each of Instances, Changes, the tree search and Releases the
 * test sets a filter, sees it in the URL, reloads and sees the same filter and the same rows,
 * then goes back and sees the filter (boxes and rows) from before. Typing is key by key, so a
 * keystroke lost to the URL round trip would show. Screenshots at 1280 and 390 px.
 */
import { createClient, type ConiferClient } from "@conifer/sdk";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { sdkToken } from "../../server/test/auth.ts";
import { apiClient, newUser, shoot, startFixture, until, type Fixture, useFixture } from "./harness.ts";

const A = "/links/alpha/app.json";
const B = "/links/beta/app.json";
let fx: Fixture;
const sdks: ConiferClient[] = [];

useFixture(
  async () => {
    fx = await startFixture();
    await fx.api.config.create.mutate({ path: A, content: '{ "n": 1 }' });
    await fx.api.config.create.mutate({ path: B, content: '{ "n": 1 }' });
    // reviewed from here on: the changes below wait on the Changes screen
    await fx.api.releases.setPolicy.mutate({ prefix: "/links", mode: "review", approvalsRequired: 1 });
    await fx.api.changes.create.mutate({ title: "tune alpha", items: [{ path: A, content: '{ "n": 2 }' }] });
    const bob = apiClient(fx.server.url, "Bob");
    const b = await bob.changes.create.mutate({ title: "tune beta", items: [{ path: B, content: '{ "n": 3 }' }] });
    await bob.changes.submit.mutate({ id: b.id });
  },
  async () => {
    // the fixture is closed by useFixture; the SDK clients are this file's own
    for (const s of sdks) await s.close().catch(() => {});
  },
);

const param = (page: Page, name: string) => new URL(page.url()).searchParams.get(name);

/** Replace a box's text key by key, as a user types, then Enter. */
async function typeInto(page: Page, box: ReturnType<Page["getByLabel"]>, text: string): Promise<void> {
  await box.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await box.pressSequentially(text);
  expect(await box.inputValue()).toBe(text);
  await box.press("Enter");
}

describe("every list view is a link", { timeout: 300_000 }, () => {
  it("Instances: the path filter is in the URL, survives a reload and follows back", async () => {
    for (const [app, path] of [
      ["alpha-svc", A],
      ["beta-svc", B],
    ] as const) {
      const sdk = createClient({ url: fx.server.url, app, token: sdkToken(fx.server.url) });
      sdks.push(sdk);
      await sdk.get(path);
    }
    await until("both instances reported", async () => {
      const { instances } = await fx.api.instances.list.query();
      return instances.filter((i) => i.applied.length > 0).length === 2;
    });
    const { context, page } = await newUser(fx.browser, "Ina");
    await page.goto(fx.server.url + "/instances", { timeout: 120_000 });
    const table = page.getByTestId("instances-table");
    // the instances in any order (newest first, and both connected in the same second)
    const apps = async () =>
      (await table.innerText())
        .match(/\b(alpha|beta)-svc\b/g)
        ?.sort()
        .join() ?? "";
    await until("both apps", async () => (await apps()) === "alpha-svc,beta-svc");
    const box = page.getByLabel("Filter instances by path");

    await typeInto(page, box, "/links/alpha");
    await until("alpha only", async () => (await apps()) === "alpha-svc");
    await typeInto(page, box, "/links/beta");
    await until(
      "beta only, in the URL",
      async () => (await apps()) === "beta-svc" && param(page, "path") === "/links/beta",
    );
    await shoot(page, "links-instances");

    await page.reload();
    expect(await box.inputValue()).toBe("/links/beta");
    await until("beta only after a reload", async () => (await apps()) === "beta-svc");

    await page.goBack();
    await until(
      "back to the alpha filter",
      async () =>
        param(page, "path") === "/links/alpha" &&
        (await box.inputValue()) === "/links/alpha" &&
        (await apps()) === "alpha-svc",
    );
    await page.goBack();
    await until(
      "back to no filter",
      async () =>
        param(page, "path") === null && (await box.inputValue()) === "" && (await apps()) === "alpha-svc,beta-svc",
    );
    await context.close();
  });

  it("Changes: status and prefix filters are in the URL, survive a reload and follow back", async () => {
    const { context, page } = await newUser(fx.browser, "Cleo");
    await page.goto(fx.server.url + "/changes", { timeout: 120_000 });
    const screen = page.getByTestId("changes-screen");
    const titles = async () => (await screen.innerText()).match(/tune (alpha|beta)/g)?.join() ?? "";
    await until("both changes", async () => (await titles()) === "tune beta,tune alpha");
    const status = page.getByTestId("changes-status");
    const box = page.getByLabel("Changes under prefix");

    await status.selectOption("draft");
    await until("the draft only", async () => (await titles()) === "tune alpha" && param(page, "status") === "draft");
    await status.selectOption("");
    await until("both again", async () => (await titles()) === "tune beta,tune alpha");
    await typeInto(page, box, "/links/beta");
    await until(
      "beta's change, in the URL",
      async () => (await titles()) === "tune beta" && param(page, "under") === "/links/beta",
    );
    await shoot(page, "links-changes");

    await page.reload();
    expect(await box.inputValue()).toBe("/links/beta");
    await until("beta's change after a reload", async () => (await titles()) === "tune beta");

    await page.goBack();
    await until(
      "back to no filter",
      async () =>
        param(page, "under") === null && (await box.inputValue()) === "" && (await titles()) === "tune beta,tune alpha",
    );
    await page.goBack();
    await until(
      "back to drafts",
      async () =>
        param(page, "status") === "draft" &&
        (await status.inputValue()) === "draft" &&
        (await titles()) === "tune alpha",
    );
    await context.close();
  });

  it("tree search: the query is in the URL, kept when a result opens, survives a reload and follows back", async () => {
    const { context, page } = await newUser(fx.browser, "Tess");
    await page.goto(fx.server.url + "/nodes", { timeout: 120_000 });
    const box = page.getByLabel("Search the tree");
    const results = page.getByRole("list", { name: "Search results" });
    const found = async () =>
      (await results.count()) ? ((await results.innerText()).match(/\/links\/\w+\/app\.json/g)?.join() ?? "") : "";

    await typeInto(page, box, "alpha/app");
    await until("alpha found, in the URL", async () => (await found()) === A && param(page, "q") === "alpha/app");
    await results.getByRole("link", { name: A }).click();
    await page.waitForURL(
      (u) => u.pathname === "/nodes/links/alpha/app.json" && u.searchParams.get("q") === "alpha/app",
    );
    expect(await box.inputValue()).toBe("alpha/app");
    await until("the results stay beside the opened node", async () => (await found()) === A);

    await typeInto(page, box, "beta/app");
    await until("beta found, in the URL", async () => (await found()) === B && param(page, "q") === "beta/app");
    await shoot(page, "links-tree-search", async (p) => {
      // at phone width the tree is a drawer: open it to see the search
      await p.getByRole("button", { name: "Show the tree" }).click();
      await p.locator(".drawer-open").waitFor();
    });

    await page.reload();
    expect(await box.inputValue()).toBe("beta/app");
    await until("beta found after a reload", async () => (await found()) === B);

    await page.goBack();
    await until(
      "back to the alpha search",
      async () => param(page, "q") === "alpha/app" && (await box.inputValue()) === "alpha/app" && (await found()) === A,
    );
    await context.close();
  });

  it("Releases: ?under= survives a reload and follows back, list and box alike", async () => {
    const { context, page } = await newUser(fx.browser, "Rhea");
    await page.goto(fx.server.url + "/releases", { timeout: 120_000 });
    const table = page.getByTestId("releases-table");
    const paths = () => releasedPaths(page);
    await until("releases listed", async () => (await table.count()) > 0);
    const box = page.getByTestId("releases-prefix");

    await typeInto(page, box, "/links/alpha");
    await until("alpha's release", async () => (await paths()) === A && param(page, "under") === "/links/alpha");
    await typeInto(page, box, "/links/beta");
    await until("beta's release", async () => (await paths()) === B && param(page, "under") === "/links/beta");
    await shoot(page, "links-releases");

    await page.reload();
    expect(await box.inputValue()).toBe("/links/beta");
    await until("beta's release after a reload", async () => (await paths()) === B);

    await page.goBack();
    await until(
      "back to the alpha prefix",
      async () =>
        param(page, "under") === "/links/alpha" && (await box.inputValue()) === "/links/alpha" && (await paths()) === A,
    );
    await context.close();
  });

  it("Releases: the loaded length is in the URL, kept on reload and on back from a release", async () => {
    // one page and one more release
    for (let i = 0; i < 51; i++) await fx.api.config.create.mutate({ path: `/many/k${i}.json`, content: "{}" });
    const { context, page } = await newUser(fx.browser, "Rhea");
    await page.goto(fx.server.url + "/releases?under=/many", { timeout: 120_000 });
    const rows = page.getByTestId("releases-table").locator("tr[data-release]");
    await until("the first page", async () => (await rows.count()) === 50);
    await page.getByRole("button", { name: "Load older releases" }).click();
    await until(
      "all 51, the length in the URL",
      async () => (await rows.count()) === 51 && param(page, "limit") === "100",
    );
    await page.reload();
    await until("all 51 after a reload", async () => (await rows.count()) === 51);
    await rows.first().getByRole("link").first().click();
    await page.getByTestId("release-page").waitFor();
    await page.goBack();
    await until("all 51 after back", async () => (await rows.count()) === 51);
    // another prefix starts from the newest page again
    await typeInto(page, page.getByTestId("releases-prefix"), "/many/k1.json");
    await until("that prefix, no length", async () => (await rows.count()) === 1 && param(page, "limit") === null);
    await context.close();
  });
});

/** The key each listed release wrote (one key per release here), as the server has them. */
async function releasedPaths(page: Page): Promise<string> {
  const ids = await page
    .getByTestId("releases-table")
    .locator("tr[data-release]")
    .evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-release") ?? ""));
  const all = await fx.api.releases.list.query({ limit: 500 });
  return ids
    .map(
      (id) =>
        all
          .find((r) => r.id === id)
          ?.items.filter((i) => !i.parent)
          .map((i) => i.path)
          .join("+") ?? "?",
    )
    .join();
}
