/**
 * Issue 13 item 10 in a real Chromium against a real server: the audit screen reads as
 * sentences with user names and links to paths and versions (the stored detail only behind
 * "details"), filters by action, actor, path prefix and time on the server, and exports what is
 * filtered (every matching row) as CSV and JSON. Screenshots at 1280 and 390 px.
 */
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { apiClient, newUser, shoot, startFixture, until, type Fixture, useFixture } from "./harness.ts";

const A = "/payments/prod/limits.json";
const B = "/shop/flags.json";
let fx: Fixture;

useFixture(async () => {
  fx = await startFixture();
  const carol = apiClient(fx.server.url, "Carol");
  const created = await carol.config.create.mutate({ path: A, content: '{ "max": 1 }' });
  await carol.config.update.mutate({ path: A, content: '{ "max": 2 }', expectedVersion: created.stat.version });
  const first = (await carol.history.list.query({ path: A })).items.find((v) => v.version === 0);
  await carol.history.rollback.mutate({ path: A, toId: first?.id ?? "", expectedVersion: 1 });
  await apiClient(fx.server.url, "Bob").config.create.mutate({ path: B, content: '{ "beta": true }' });
  await fx.api.tokens.create.mutate({ name: "ci-reader", prefixes: ["/payments"], access: "read" });
});

const rows = (page: Page) => page.getByTestId("audit-table").locator("tbody tr");

/** The action of every row shown, top to bottom. */
async function actions(page: Page): Promise<string[]> {
  return rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-action") ?? ""));
}

async function download(page: Page, testId: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testId).click()]);
  const path = await file.path();
  return readFile(path, "utf8");
}

describe("the audit screen", { timeout: 300_000 }, () => {
  it("reads as sentences with links, filters on the server and exports what is filtered", async () => {
    const { context, page } = await newUser(fx.browser, "Audra");
    await page.goto(fx.server.url + "/audit", { timeout: 120_000 });
    const table = page.getByTestId("audit-table");
    await table.getByText("Rolled back to version 0, published as version 2").waitFor();
    await table.getByText("Created API token ci-reader (read on /payments)").waitFor();
    // no raw JSON and no internal ids by default; the stored detail is behind "details"
    const text = await table.innerText();
    expect(text).not.toMatch(/[{}]|entry \d/);
    const tokenRow = rows(page).filter({ hasText: "ci-reader" });
    await tokenRow.getByText("details").click();
    await tokenRow.locator("pre").getByText('"access": "read"').waitFor();

    // action: one action, then a family
    await page.getByLabel("Action").selectOption("config.update");
    await until("only updates", async () => (await actions(page)).join() === "config.update");
    await page.getByLabel("Action").selectOption("config.*");
    await until(
      "config actions",
      async () => (await actions(page)).join() === "config.create,config.update,config.create",
    );
    // actor
    await page.getByRole("combobox", { name: "Actor" }).fill("Carol");
    await until("Carol's config actions", async () => (await actions(page)).join() === "config.update,config.create");
    // path prefix (Bob's /shop row is gone already; this keeps Carol's under /payments)
    await page.getByRole("combobox", { name: "Actor" }).fill("");
    await page.getByLabel("Path prefix").fill("/shop");
    await until("the /shop row", async () => (await actions(page)).join() === "config.create");
    await rows(page).getByText("Bob").waitFor();
    await page.getByLabel("Path prefix").fill("/payments");
    await page.getByLabel("Action").selectOption("");
    await until(
      "every /payments row",
      async () => (await actions(page)).join() === "history.rollback,config.update,config.create",
    );
    await shoot(page, "audit-filtered");

    // the filters are in the URL: a reload keeps them, back and forward walk through them
    const urlFilter = () => new URL(page.url()).searchParams;
    const formShowsUrl = async () =>
      (await page.getByLabel("Action").inputValue()) === (urlFilter().get("action") ?? "") &&
      (await page.getByLabel("Path prefix").inputValue()) === (urlFilter().get("path") ?? "");
    await until("the filter in the URL", () => urlFilter().get("path") === "/payments" && !urlFilter().has("action"));
    await page.reload();
    expect(await page.getByLabel("Path prefix").inputValue()).toBe("/payments");
    await until(
      "the same rows after a reload",
      async () => (await actions(page)).join() === "history.rollback,config.update,config.create",
    );
    await page.goBack();
    await until(
      "back shows the filter before",
      async () => !(urlFilter().get("path") === "/payments" && !urlFilter().has("action")) && (await formShowsUrl()),
    );
    await page.goForward();
    await until(
      "forward again",
      async () => urlFilter().get("path") === "/payments" && !urlFilter().has("action") && (await formShowsUrl()),
    );
    await until(
      "its rows",
      async () => (await actions(page)).join() === "history.rollback,config.update,config.create",
    );

    // export: every row matching the filter, as CSV and as JSON
    const csv = (await download(page, "audit-export-csv")).trimEnd().split("\r\n");
    expect(csv[0]).toBe("time,actor,action,path,summary,versions,source,ip,detail");
    expect(csv.slice(1).map((l) => l.split(",")[2])).toEqual(["history.rollback", "config.update", "config.create"]);
    const json = JSON.parse(await download(page, "audit-export-json")) as { action: string; actor: string }[];
    expect(json.map((r) => r.action)).toEqual(["history.rollback", "config.update", "config.create"]);
    expect(json.map((r) => r.actor)).toEqual(["Carol", "Carol", "Carol"]);

    // time range: from a minute ahead, nothing matches, and the export says so too
    const ahead = new Date(Date.now() + 60_000);
    const local = new Date(ahead.getTime() - ahead.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await page.getByLabel("From").fill(local);
    await page.getByText("No entries match these filters").waitFor();
    expect((await download(page, "audit-export-csv")).trimEnd().split("\r\n")).toHaveLength(1);
    await page.getByRole("button", { name: "Clear" }).click();

    // a version link opens that version in the path's history
    await page.getByLabel("Action").selectOption("history.rollback");
    await until("the rollback row", async () => (await actions(page)).join() === "history.rollback");
    await rows(page).getByRole("link", { name: "from v0" }).click();
    await page.waitForURL(/\/nodes\/payments\/prod\/limits\.json\?tab=history&version=\d+$/);
    await page
      .getByTestId("history-version")
      .getByText(/^Version 0\b/)
      .first()
      .waitFor();
    await context.close();
  });
});
