/**
 * Issue 14 item 8's Compare screen in a real Chromium against a real server: /env/staging and
 * /env/prod hold a JSON key differing in two fields, a YAML key differing in one, a text key
 * (line diff only), an identical key and a key only staging has. The screen lists each group,
 * with the fields that differ and both values; promoting the staging-only key and one JSON field
 * opens a change request holding exactly those (the other field keeps prod's value); the URL keeps
 * the prefixes through a reload, and back walks through line diff, promote and swap. A viewer
 * sees the comparison without any promote control, and a prefix they may not read is refused in
 * words. Screenshots (compare-*) at 1280 and 390 px go to test-artifacts/screenshots.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { newUser, shoot, startFixture, until, type Fixture, useFixture } from "./harness.ts";

const STAGING = "/env/staging";
const PROD = "/env/prod";
const SEED: Record<string, { staging?: string; prod?: string }> = {
  "app.json": {
    staging: JSON.stringify({ db: { host: "stg-db", pool: { max: 50 } }, name: "pay" }, null, 2),
    prod: JSON.stringify({ db: { host: "prod-db", pool: { max: 10 } }, name: "pay" }, null, 2),
  },
  "cache.yaml": { staging: "ttl: 60\nsize: 100\n", prod: "ttl: 300\nsize: 100\n" },
  "notes.txt": { staging: "one\ntwo\n", prod: "one\nthree\n" },
  "same.properties": { staging: "a=1\n", prod: "a=1\n" },
  "flags/new.properties": { staging: "beta=true\n" },
};
let fx: Fixture;

useFixture(async () => {
  fx = await startFixture();
  for (const [key, sides] of Object.entries(SEED)) {
    if (sides.staging !== undefined)
      await fx.api.config.create.mutate({ path: `${STAGING}/${key}`, content: sides.staging });
    if (sides.prod !== undefined) await fx.api.config.create.mutate({ path: `${PROD}/${key}`, content: sides.prod });
  }
});

const group = (page: Page, name: "only-left" | "only-right" | "differing") =>
  page.getByTestId(`compare-${name}`).getByTestId("compare-key");
const keyOf = (page: Page, key: string) => page.locator(`[data-testid="compare-key"][data-key="${key}"]`);
const keysIn = async (page: Page, name: "only-left" | "only-right" | "differing") =>
  (await group(page, name).evaluateAll((els) => els.map((e) => e.getAttribute("data-key")))).sort();
const query = (page: Page) => Object.fromEntries(new URL(page.url()).searchParams);

describe("the Compare screen", { timeout: 300_000 }, () => {
  it("lists the differences, promotes a key and a field as a change request, keeps the prefixes in the URL", async () => {
    const { context, page } = await newUser(fx.browser, "Ada");
    await page.goto(fx.server.url + "/nodes", { timeout: 120_000 });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Compare" }).click();
    await page.waitForURL(/\/compare$/);
    await page.getByTestId("compare-empty").getByText("/payments/staging", { exact: true }).waitFor();
    await shoot(page, "compare-empty");

    await page.getByTestId("compare-left").fill(STAGING);
    await page.getByTestId("compare-right").fill("env/prod/");
    await page.getByTestId("compare-submit").click();
    await page.getByTestId("compare-summary").waitFor();
    // the typed prefix is normalized into the URL
    expect(query(page)).toEqual({ left: STAGING, right: PROD });
    expect(await keysIn(page, "only-left")).toEqual(["flags/new.properties"]);
    expect(await keysIn(page, "only-right")).toEqual([]);
    expect(await keysIn(page, "differing")).toEqual(["app.json", "cache.yaml", "notes.txt"]);
    expect(await page.getByTestId("compare-summary").innerText()).toContain("1 identical");

    const app = keyOf(page, "app.json");
    const fields = async (key: string) =>
      keyOf(page, key)
        .getByTestId("compare-field")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-field")));
    expect(await fields("app.json")).toEqual(["db.host", "db.pool.max"]);
    const max = await app.locator('[data-field="db.pool.max"]').innerText();
    expect(max).toMatch(/db\.pool\.max\s*50\s*→\s*10/);
    expect(await app.locator('[data-field="db.host"]').innerText()).toMatch(/"stg-db"\s*→\s*"prod-db"/);
    expect(await fields("cache.yaml")).toEqual(["ttl"]);
    expect(await keyOf(page, "cache.yaml").locator('[data-field="ttl"]').innerText()).toMatch(/60\s*→\s*300/);

    // text has no fields: its line diff is a link, and back closes it
    const notes = keyOf(page, "notes.txt");
    expect(await notes.getByTestId("compare-field").count()).toBe(0);
    await notes.getByTestId("compare-line-diff").click();
    await notes.getByTestId("compare-line-diff-view").getByText("three").first().waitFor();
    expect(query(page)).toEqual({ left: STAGING, right: PROD, diff: "notes.txt" });
    await shoot(page, "compare-line-diff");
    await page.goBack();
    await notes.getByTestId("compare-line-diff-view").waitFor({ state: "detached" });
    expect(query(page)).toEqual({ left: STAGING, right: PROD });
    await shoot(page, "compare-result");

    // the staging-only key whole, and one of app.json's two fields
    await page.getByLabel("Promote flags/new.properties", { exact: true }).check();
    await page.getByLabel("Promote db.pool.max of app.json", { exact: true }).check();
    await page.getByTestId("compare-selected").getByText("2 key(s) selected").waitFor();
    await shoot(page, "compare-selected");
    await page.getByTestId("compare-promote").click();
    await page.waitForURL(/\/changes\/[^/?]+$/);
    await page.getByTestId("change-page").waitFor();
    await until("two items on the change page", async () => (await page.getByTestId("change-item").count()) === 2);
    const id = decodeURIComponent(new URL(page.url()).pathname.split("/").pop() ?? "");
    const view = await fx.api.changes.get.query({ id });
    const items = [...view.change.items].sort((a, b) => (a.path < b.path ? -1 : 1));
    expect(items.map((i) => [i.path, i.op])).toEqual([
      [`${PROD}/app.json`, "update"],
      [`${PROD}/flags/new.properties`, "create"],
    ]);
    // the promoted field takes staging's value, the other keeps prod's
    expect(JSON.parse(items[0]?.content ?? "")).toEqual({ db: { host: "prod-db", pool: { max: 50 } }, name: "pay" });
    expect(items[1]?.content).toBe("beta=true\n");
    // a draft: nothing live moved
    expect((await fx.api.config.get.query({ path: `${PROD}/app.json` })).data).toBe(SEED["app.json"]?.prod);
    await shoot(page, "compare-change");

    // back to the comparison, then a reload: the prefixes are in the URL
    await page.goBack();
    await page.waitForURL(/\/compare\?/);
    expect(query(page)).toEqual({ left: STAGING, right: PROD });
    await page.getByTestId("compare-summary").waitFor();
    await page.reload();
    await page.getByTestId("compare-summary").waitFor();
    expect(await page.getByTestId("compare-left").inputValue()).toBe(STAGING);
    expect(await page.getByTestId("compare-right").inputValue()).toBe(PROD);
    expect(await keysIn(page, "only-left")).toEqual(["flags/new.properties"]);

    // swap compares the other way round; back restores the boxes too
    await page.getByTestId("compare-swap").click();
    await until("swapped in the URL", () => query(page)["left"] === PROD);
    await until("the staging-only key is on the right", async () =>
      (await keysIn(page, "only-right")).includes("flags/new.properties"),
    );
    await page.goBack();
    await until("back to staging on the left", () => query(page)["left"] === STAGING);
    await until("the boxes follow", async () => (await page.getByTestId("compare-left").inputValue()) === STAGING);
    await until("the staging-only key is on the left again", async () =>
      (await keysIn(page, "only-left")).includes("flags/new.properties"),
    );

    // at phone width the Compare entry is in the menu
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId("nav-menu").click();
    await page.getByRole("navigation", { name: "Main menu" }).getByRole("link", { name: "Compare" }).waitFor();
    await page.keyboard.press("Escape");
    await page.setViewportSize({ width: 1280, height: 800 });
    await context.close();
  });

  it("shows a viewer the comparison without promote controls, and refuses a prefix they may not read", async () => {
    const { context, page } = await newUser(fx.browser, "Vic", [{ pathPrefix: "/env", role: "viewer" }]);
    const q = new URLSearchParams({ left: STAGING, right: PROD });
    await page.goto(`${fx.server.url}/compare?${q.toString()}`, { timeout: 120_000 });
    // the promote controls show until auth.me has answered (the server refuses anyway): wait for it
    await page.locator(".author-name", { hasText: "Vic" }).waitFor();
    await page.getByTestId("compare-read-only").waitFor();
    expect(await keysIn(page, "differing")).toEqual(["app.json", "cache.yaml", "notes.txt"]);
    expect(await page.getByTestId("compare-promote").count()).toBe(0);
    expect(await page.getByTestId("compare-options").count()).toBe(0);
    expect(await page.locator('[data-testid="compare-screen"] input[type="checkbox"]').count()).toBe(0);
    await shoot(page, "compare-viewer");

    await page.getByTestId("compare-right").fill("/secret");
    await page.getByTestId("compare-submit").click();
    await page.getByRole("alert").getByText("may not read /secret").waitFor();
    await shoot(page, "compare-refused");
    await context.close();
  });
});
