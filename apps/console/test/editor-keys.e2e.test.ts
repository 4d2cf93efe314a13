/**
 * Issue 13 item 12 (the rest) in a real Chromium against a real server: a new .json node opens
 * with starter text and the cursor inside it, folders are shown as folders with their children,
 * a skip link reaches the editor, Ctrl+S opens the review and Ctrl+Enter publishes from it.
 * Screenshots at 1280 and 390 px go to test-artifacts/screenshots.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { editorText, newUser, setEditorText, shoot, startFixture, until, type Fixture, useFixture } from "./harness.ts";

const LIMITS = "/payments/prod/limits.json";
let fx: Fixture;

useFixture(async () => {
  fx = await startFixture();
  const mk = (path: string, content: string) => fx.api.config.create.mutate({ path, content, mode: "persistent" });
  for (const p of ["/payments", "/payments/prod", "/payments/staging"]) await mk(p, "");
  await mk(LIMITS, '{ "maxAmount": 100 }');
});

async function openNode(page: Page, path: string): Promise<void> {
  await page.goto(fx.server.url + "/nodes" + path, { timeout: 120_000 });
  await page.locator('[data-testid="node-path"]').waitFor();
}

/** The text of the New node dialog's editor (the node's own editor may be on the page too). */
const dialogEditorText = (page: Page) =>
  page
    .getByRole("dialog")
    .locator(".cm-content")
    .evaluate((el) =>
      Array.from(el.querySelectorAll(".cm-line"))
        .map((l) => (l as HTMLElement).innerText.replace(/\n$/, ""))
        .join("\n"),
    );

const activeTestId = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el?.closest("[data-testid]")?.getAttribute("data-testid") ?? el?.tagName ?? null;
  });

describe("editing from the keyboard, folders, new files", { timeout: 240_000 }, () => {
  it("shows a folder as its children, with no editor and no publish button", async () => {
    const { context, page } = await newUser(fx.browser, "Ada");
    await openNode(page, "/payments");
    const folder = page.getByTestId("folder-view");
    await folder.getByRole("link", { name: /prod/ }).waitFor();
    await folder.getByRole("link", { name: /staging/ }).waitFor();
    expect(await page.locator('[data-testid="editor"]').count()).toBe(0);
    expect(await page.getByTestId("review-button").count()).toBe(0);
    expect(await page.getByRole("tab", { name: "Children" }).getAttribute("aria-selected")).toBe("true");
    await shoot(page, "keys-01-folder");
    // an editor may still give it content on purpose
    await folder.getByRole("button", { name: "Give it content" }).click();
    await page.locator('[data-testid="editor"] .cm-content').waitFor();
    await context.close();
  });

  it("opens a new .json node with starter text and the cursor inside the braces", async () => {
    const { context, page } = await newUser(fx.browser, "Ada");
    await openNode(page, "/payments/staging");
    await page.getByRole("button", { name: "+ New child" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name", { exact: true }).fill("limits.json");
    await until("the JSON starter", async () => (await dialogEditorText(page)).startsWith("{\n  \n}"));
    // into the editor from the keyboard (focus keeps the editor's own cursor), then type
    await dialog.locator('[data-testid="editor"] .cm-content').focus();
    // what the user sees: the caret on the indented empty line, the second of three
    await until("the caret inside the braces", () =>
      page.evaluate(() => {
        const node = window.getSelection()?.anchorNode;
        const line = (node instanceof Element ? node : node?.parentElement)?.closest(".cm-line");
        return !!line && [...(line.parentElement?.children ?? [])].indexOf(line) === 1;
      }),
    );
    await page.keyboard.insertText('"maxAmount": 10');
    await until("typed inside the braces", async () =>
      (await dialogEditorText(page)).startsWith('{\n  "maxAmount": 10\n}'),
    );
    await shoot(page, "keys-02-new-json");
    await dialog.getByRole("button", { name: "Create" }).click();
    await page.waitForURL(/\/nodes\/payments\/staging\/limits\.json$/);
    const node = await fx.api.config.get.query({ path: "/payments/staging/limits.json" });
    expect(JSON.parse(node.data)).toEqual({ maxAmount: 10 });
    await context.close();
  });

  it("reaches the editor with the skip link, opens the review with Ctrl+S and publishes with Ctrl+Enter", async () => {
    const { context, page } = await newUser(fx.browser, "Ada");
    await openNode(page, LIMITS);
    await until("content", async () => (await editorText(page)).includes("maxAmount"));
    // the first Tab stop is the skip link; it lands in the editor, past the nav and the tree
    await page.keyboard.press("Tab");
    expect(await activeTestId(page)).toBe("skip-link");
    await shoot(page, "keys-03-skip-link");
    await page.keyboard.press("Enter");
    await until("focus in the editor", async () => (await activeTestId(page)) === "editor");

    await setEditorText(page, '{ "maxAmount": 250 }');
    await page.keyboard.press("Control+S");
    await page.getByTestId("review").waitFor();
    await page.getByLabel("Publish message").fill("Raise the limit");
    await page.keyboard.press("Control+Enter");
    await page.locator('[data-testid="notice"]').getByText("Published version 1").waitFor();
    const node = await fx.api.config.get.query({ path: LIMITS });
    expect(node.stat.version).toBe(1);
    expect(JSON.parse(node.data)).toEqual({ maxAmount: 250 });
    const history = await fx.api.history.list.query({ path: LIMITS });
    expect(history.items.find((h) => h.version === 1)?.message).toBe("Raise the limit");
    // one publish, not two (the form's own Enter submit must not race the shortcut)
    expect(history.items.some((h) => h.version === 2)).toBe(false);
    await context.close();
  });
});
