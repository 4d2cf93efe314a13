/**
 * Issue 13 item 12 (system nodes) in a real Chromium against a real server: an admin's "Show
 * system nodes" puts /zookeeper and /conifer in the root's child count and list, survives a
 * reload, and takes them out again when turned off; a system node's page says what it is and
 * what editing it risks, above an editor that stays usable. Screenshots at 1280 and 390 px.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { editorText, newUser, shoot, startFixture, until, type Fixture, useFixture } from "./harness.ts";

let fx: Fixture;

useFixture(async () => {
  fx = await startFixture();
  const mk = (path: string, content: string) => fx.api.config.create.mutate({ path, content, mode: "persistent" });
  await mk("/payments", "");
  await mk("/payments/limits.json", '{ "maxAmount": 10 }');
  await mk("/orders", "");
});

/** The header's "N children" pill of the node on screen. */
const childCount = async (page: Page) =>
  (await page.locator(".node-meta .pill", { hasText: /\bchild(ren)?\b/ }).innerText()).trim();
const overview = (page: Page) => page.locator(".overview");
const systemCards = (page: Page) => overview(page).getByRole("link", { name: /\/conifer|\/zookeeper/ });

describe("system nodes for an admin", { timeout: 240_000 }, () => {
  it("are counted and listed on / while the toggle is on, also after a reload", async () => {
    const { context, page } = await newUser(fx.browser, "Ada");
    await page.goto(fx.server.url + "/nodes", { timeout: 120_000 });
    await overview(page)
      .getByRole("link", { name: /\/payments/ })
      .waitFor();
    expect(await childCount(page)).toBe("2 children");
    expect(await systemCards(page).count()).toBe(0);

    const toggle = page.getByLabel("Show system nodes");
    await toggle.check();
    await overview(page)
      .getByRole("link", { name: /\/zookeeper/ })
      .waitFor();
    // the pill counts what the list shows: /orders, /payments, /conifer, /zookeeper
    await until("the count includes the system nodes", async () => (await childCount(page)) === "4 children");
    expect(await systemCards(page).count()).toBe(2);
    await shoot(page, "system-01-root-shown");

    // still on after a reload
    await page.reload();
    await overview(page)
      .getByRole("link", { name: /\/conifer/ })
      .waitFor();
    expect(await page.getByLabel("Show system nodes").isChecked()).toBe(true);
    await until("the count after the reload", async () => (await childCount(page)) === "4 children");
    expect(await systemCards(page).count()).toBe(2);

    // off again: neither counted nor listed, and that too survives a reload
    await page.getByLabel("Show system nodes").uncheck();
    await until("the count without them", async () => (await childCount(page)) === "2 children");
    await until("the cards gone", async () => (await systemCards(page).count()) === 0);
    await page.reload();
    await overview(page)
      .getByRole("link", { name: /\/payments/ })
      .waitFor();
    expect(await page.getByLabel("Show system nodes").isChecked()).toBe(false);
    expect(await childCount(page)).toBe("2 children");
    expect(await systemCards(page).count()).toBe(0);
    await context.close();
  });

  it("says what a system node is above an editor that stays usable", async () => {
    const { context, page } = await newUser(fx.browser, "Ada");
    await page.goto(fx.server.url + "/nodes/zookeeper/config", { timeout: 120_000 });
    const notice = page.getByTestId("system-notice");
    await notice.waitFor();
    const text = await notice.innerText();
    expect(text).toMatch(/ZooKeeper's own/);
    expect(text).toMatch(/SDKs never need/);
    expect(text).toMatch(/can break this installation/);
    // above the editor, which an admin may still type in
    const content = page.locator('[data-testid="editor"] .cm-content').first();
    await content.waitFor();
    const [n, e] = [await notice.boundingBox(), await content.boundingBox()];
    expect(n && e && n.y + n.height <= e.y, "the notice is above the editor").toBe(true);
    expect(await content.getAttribute("contenteditable")).toBe("true");
    await content.click();
    await page.keyboard.insertText("#edited");
    await until("the edit", async () => (await editorText(page)).includes("#edited"));
    await page.getByTestId("review-button").waitFor();
    await shoot(page, "system-02-zookeeper-config", async (p) => {
      await p.getByTestId("system-notice").scrollIntoViewIfNeeded();
    });
    // leave without publishing: the draft is discarded, so leaving asks nothing
    await page.getByRole("button", { name: "Discard", exact: true }).click();
    await page.getByRole("button", { name: "Discard my edits" }).click();
    await until("the draft discarded", async () => !(await editorText(page)).includes("#edited"));

    await page.goto(fx.server.url + "/nodes/conifer/instances");
    await until("the /conifer notice", async () =>
      /Conifer's internal state/.test(await page.getByTestId("system-notice").innerText()),
    );
    await shoot(page, "system-03-conifer");

    // an ordinary config has no such notice
    await page.goto(fx.server.url + "/nodes/payments/limits.json");
    await until("content", async () => (await editorText(page)).includes("maxAmount"));
    expect(await page.getByTestId("system-notice").count()).toBe(0);
    await context.close();
  });
});
