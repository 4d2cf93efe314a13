/**
 * Issue 13, the editor's defects, in a real Chromium against a real server: a deleted path shows
 * its history and restores (item 7), a rollback shows its new live version from the mutation's
 * answer (item 5), tab and version live in the URL (item 8), drafts per path survive navigation
 * and are only discarded after asking (item 2).
 * Each case works on its own path. Screenshots go to /tmp/shots/console-a2/.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page, Route } from "playwright-core";
import { describe, expect, it } from "vitest";
import { editorText, newUser, setEditorText, startFixture, until, type Fixture, useFixture } from "./harness.ts";

const SHOTS = "/tmp/shots/console-a2";
let fx: Fixture;

useFixture(async () => {
  fx = await startFixture();
  mkdirSync(SHOTS, { recursive: true });
});

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

async function open(page: Page, path: string, query = ""): Promise<void> {
  await page.goto(fx.server.url + "/nodes" + path + query, { timeout: 120_000 });
  await page.getByTestId("node-path").waitFor();
}

/** A node with versions 0..n-1, contents `{ "v": i }`. */
async function seedVersions(path: string, n: number): Promise<void> {
  await fx.api.config.create.mutate({ path, content: '{ "v": 0 }', mode: "persistent" });
  for (let v = 1; v < n; v++)
    await fx.api.config.update.mutate({ path, content: `{ "v": ${v} }`, expectedVersion: v - 1 });
}

describe("editing in the console", { timeout: 240_000 }, () => {
  it("shows a deleted path's history and restores it", async () => {
    const path = "/edit/deleted.json";
    await seedVersions(path, 2);
    await fx.api.config.delete.mutate({ path, expectedVersion: 1 });
    const { context, page } = await newUser(fx.browser, "Dora");
    await open(page, path);
    const table = page.getByTestId("history-table");
    await table.locator('tr[data-version="1"]').first().waitFor();
    await table.locator('tr[data-op="delete"]').waitFor();
    // a version opens without a live node to compare with
    await table.locator('tr[data-op="update"]').first().click();
    await page.getByTestId("history-version").waitFor();
    await until("the old version's content", async () => (await editorText(page)).includes('"v": 1'));
    await shot(page, "item7-deleted-history");
    await page.getByRole("button", { name: "Restore" }).click();
    await page.getByTestId("restore-confirm").click();
    await until("the node is back", async () => (await fx.api.config.get.query({ path })).data === '{ "v": 1 }');
    await page.getByTestId("node-version").waitFor();
    await page.getByRole("tab", { name: "History" }).click();
    const badge = table.locator(".badge-src-restore").first();
    await badge.waitFor();
    const bg = await badge.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg).not.toBe("rgba(0, 0, 0, 0)");
    const newest = (await fx.api.history.list.query({ path, limit: 1 })).items[0];
    expect(newest).toMatchObject({ source: "restore", op: "create", author: "Dora" });
    await shot(page, "item7-restored");
    await context.close();
  });

  it("shows the rolled back version as live from the mutation's answer", async () => {
    const path = "/edit/rollback.json";
    await seedVersions(path, 2);
    const { context, page } = await newUser(fx.browser, "Rolf");
    await open(page, path);
    await page.getByRole("tab", { name: "History" }).click();
    const table = page.getByTestId("history-table");
    await table.locator('tr[data-version="1"] .badge-live').waitFor();
    await table.locator('tr[data-version="0"] td.msg').click();
    await page.getByRole("button", { name: "Roll back to this version…" }).click();
    // from here on no query reaches the server: what the list shows comes from the rollback's answer
    const held: Route[] = [];
    await page.route(
      (url) => url.pathname.startsWith("/trpc/") && !url.pathname.includes("history.rollback"),
      (route) => {
        held.push(route);
      },
    );
    await page.getByTestId("rollback-confirm").click();
    await table.locator('tr[data-version="2"] .badge-live').waitFor({ timeout: 15_000 });
    expect(await table.locator(".badge-live").count()).toBe(1);
    await shot(page, "item5-rollback-live");
    await page.unroute("**");
    for (const r of held) await r.continue().catch(() => {});
    await context.close();
  });

  it("keeps the tab and the version in the URL, and back goes through them", async () => {
    const path = "/edit/url.json";
    await seedVersions(path, 2);
    const { context, page } = await newUser(fx.browser, "Uma");
    await open(page, path);
    await page.getByRole("tab", { name: "History" }).click();
    await until("tab in the URL", () => new URL(page.url()).searchParams.get("tab") === "history");
    const table = page.getByTestId("history-table");
    await table.locator('tr[data-version="0"] td.msg').click();
    await page.getByTestId("history-version").waitFor();
    await until("version in the URL", () => new URL(page.url()).searchParams.get("version") !== null);
    const link = page.url();
    await shot(page, "item8-version-in-url");

    await page.goBack();
    await page.getByTestId("history-version").waitFor({ state: "detached" });
    expect(new URL(page.url()).searchParams.get("tab")).toBe("history");
    await page.goBack();
    await until(
      "content tab again",
      async () => (await page.getByRole("tab", { name: "Content" }).getAttribute("aria-selected")) === "true",
    );

    // the link opens the same view in a fresh page
    const other = await context.newPage();
    await other.goto(link, { timeout: 120_000 });
    await other.getByTestId("history-version").waitFor();
    expect(await other.getByRole("tab", { name: "History" }).getAttribute("aria-selected")).toBe("true");
    // the content tab's editor stays mounted (hidden) first; the version's is the second
    await until("version 0 shown", async () => (await editorText(other, 1)).includes('"v": 0'));
    await context.close();
  });

  it("keeps drafts per path, asks before discarding, and warns before unload", async () => {
    const a = "/edit/drafts/a.json";
    const b = "/edit/drafts/b.json";
    await seedVersions(a, 1);
    await seedVersions(b, 1);
    const { context, page } = await newUser(fx.browser, "Dan");
    await open(page, a);
    await until("content", async () => (await editorText(page)).includes('"v": 0'));
    await setEditorText(page, '{ "v": "draft a" }');
    // to another node inside the console (the parent's children list) and back: the draft is kept
    await page.getByTestId("node-path").getByRole("link", { name: "drafts" }).click();
    await page
      .locator(".children-section")
      .getByRole("link", { name: /b\.json/ })
      .click();
    await until("b shown", async () => (await editorText(page)) === '{ "v": 0 }');
    await page.goBack(); // the parent
    await page.goBack(); // a.json
    await until("a's draft restored", async () => (await editorText(page)) === '{ "v": "draft a" }');
    await page.getByText("Unsaved changes").waitFor();
    // tab switch and back keeps it too
    await page.getByRole("tab", { name: "History" }).click();
    await page.getByRole("tab", { name: "Content" }).click();
    expect(await editorText(page)).toBe('{ "v": "draft a" }');
    // discarding asks first
    await page.getByRole("button", { name: "Discard" }).click();
    await page.getByTestId("confirm-discard").waitFor();
    await shot(page, "item2-confirm-discard");
    await page.getByRole("button", { name: "Keep editing" }).click();
    expect(await editorText(page)).toBe('{ "v": "draft a" }');
    // leaving the page with an unsaved draft warns
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.type());
      void d.dismiss();
    });
    await page.close({ runBeforeUnload: true });
    await until("beforeunload warning", () => dialogs.includes("beforeunload"));
    // the page may be gone by now (closing it was the point); the context with it
    await context.close().catch(() => {});
  });
});
