/**
 * Issue 13 in a real Chromium against a real server: a viewer gets a read-only editor and no
 * write controls (item 4); removing your own admin role asks first (item 1); an admin resets a
 * user's password from the Users screen (item 11); the Users rows' buttons are spaced and every
 * dialog shows a readable title, also the one asking for a new password after a one-time one.
 * Screenshots at 1280 and 390 px.
 */
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ensureUser, login } from "../../server/test/auth.ts";
import { editorText, newUser, openContext, shoot, startFixture, until, type Fixture, useFixture } from "./harness.ts";

const LIMITS = "/payments/prod/limits.json";
let fx: Fixture;

useFixture(async () => {
  fx = await startFixture();
  await fx.api.config.create.mutate({ path: LIMITS, content: '{ "maxAmount": 100 }', mode: "persistent" });
});

describe("accounts and permissions in the console", { timeout: 240_000 }, () => {
  it("gives a viewer a read-only editor and no write controls", async () => {
    const { context, page } = await newUser(fx.browser, "Vera", [{ pathPrefix: "/payments", role: "viewer" }]);
    await page.goto(fx.server.url + "/nodes" + LIMITS, { timeout: 120_000 });
    await until("content", async () => (await editorText(page)).includes("maxAmount"));
    await page.getByTestId("read-only").waitFor();
    const content = page.locator('[data-testid="editor"] .cm-content').first();
    expect(await content.getAttribute("contenteditable")).toBe("false");
    // typing changes nothing, and there is nothing to review or publish
    await content.click();
    await page.keyboard.insertText("x");
    expect(await editorText(page)).toBe('{ "maxAmount": 100 }');
    expect(await page.getByTestId("review-button").count()).toBe(0);
    expect(await page.getByRole("button", { name: /Review|Publish|Discard/ }).count()).toBe(0);
    await shoot(page, "30-viewer-read-only");
    await context.close();
  });

  it("asks before you remove your own admin role, and resets another user's password", async () => {
    const { context, page } = await newUser(fx.browser, "Rita");
    await page.goto(fx.server.url + "/users", { timeout: 120_000 });
    const table = page.getByTestId("users-table");
    await table.getByText("Rita").waitFor();
    await page.getByRole("button", { name: "Remove admin on /" }).first().waitFor();
    const ritaRow = table.locator("tr", { hasText: "Rita" });
    await ritaRow.getByRole("button", { name: "Remove admin on /" }).click();
    await page.getByTestId("confirm-self-demotion").waitFor();
    await shoot(page, "31-confirm-self-demotion");
    await page.getByRole("button", { name: "Cancel" }).click();
    const isAdmin = async () =>
      (await fx.api.users.list.query())
        .find((u) => u.username === "Rita")
        ?.roles.some((r) => r.pathPrefix === "/" && r.role === "admin");
    expect(await isAdmin()).toBe(true);

    // another user's password: set from the row, the user signs in with it and must change it
    const veraRow = table.locator("tr", { hasText: "Vera" });
    await veraRow.getByRole("button", { name: "Reset password" }).click();
    await page.getByLabel("New password for Vera").fill("vera-new-password");
    await shoot(page, "32-reset-password");
    await page.getByTestId("reset-password-submit").click();
    await page.getByTestId("reset-done").waitFor();
    const s = await login(fx.server.url, "Vera", "vera-new-password");
    expect(s.cookie).toContain("conifer_session=");

    // confirming removes it (other admins remain, so the server allows it)
    await ritaRow.getByRole("button", { name: "Remove admin on /" }).click();
    await page.getByTestId("confirm-self-demotion").click();
    await until("Rita no longer admin", async () => (await isAdmin()) === false);
    await context.close();
  });
});

/** Space between two boxes (> 0 when they do not touch): beside each other, or one above the other. */
function gapBetween(a: { x: number; y: number; width: number; height: number }, b: typeof a): number {
  const beside = b.x - (a.x + a.width);
  const below = b.y - (a.y + a.height);
  return Math.max(beside, below);
}

/** The dialog's title: shown, with text, and readable on the dialog (WCAG contrast, >= 4.5). */
async function expectTitled(dialog: Locator): Promise<string> {
  await dialog.waitFor();
  const heading = dialog.getByRole("heading").first();
  const title = (await heading.innerText()).trim();
  expect(title, "the dialog has a title").not.toBe("");
  const contrast = await heading.evaluate((h) => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const lum = (c: string) => {
      const [r = 0, g = 0, b = 0] = rgb(c).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const box = h.closest('[role="dialog"]') ?? h;
    const [fg, bg] = [lum(getComputedStyle(h).color), lum(getComputedStyle(box).backgroundColor)];
    return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  });
  expect(contrast, `the title "${title}" is readable`).toBeGreaterThanOrEqual(4.5);
  return title;
}

describe("spacing and dialog titles", { timeout: 240_000 }, () => {
  it("spaces each user's row buttons apart at 1280 and 390 px", async () => {
    await ensureUser(fx.server.url, "Nina", [{ pathPrefix: "/payments", role: "editor" }]);
    const { context, page } = await newUser(fx.browser, "Ada");
    await page.goto(fx.server.url + "/users", { timeout: 120_000 });
    const row = page.getByTestId("users-table").locator("tr", { hasText: "Nina" });
    const buttons = ["Reset password", "Disable", "Delete"].map((name) =>
      row.getByRole("button", { name, exact: true }),
    );
    await buttons[0]?.waitFor();
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 1280 ? 800 : 844 });
      await until(`the row laid out at ${width}`, async () => (await row.boundingBox())?.width);
      const boxes = await Promise.all(buttons.map((b) => b.boundingBox()));
      for (let i = 1; i < boxes.length; i++) {
        const [a, b] = [boxes[i - 1], boxes[i]];
        expect(a && b && gapBetween(a, b), `gap before button ${i} at ${width} px`).toBeGreaterThanOrEqual(4);
      }
    }
    await shoot(page, "33-users-row-buttons", () => row.scrollIntoViewIfNeeded());
    await context.close();
  });

  it("titles the dialog asking for a new password after a one-time one, and every other dialog", async () => {
    await ensureUser(fx.server.url, "Olga", [{ pathPrefix: "/payments", role: "viewer" }]);
    const olga = (await fx.api.users.list.query()).find((u) => u.username === "Olga");
    if (!olga) throw new Error("Olga missing");
    await fx.api.users.resetPassword.mutate({ userId: olga.id, password: "one-time-pass" });

    // Olga signs in with the one-time password in the browser, and goes on to the console
    const { context, page } = await openContext(fx.browser, "Olga");
    await page.goto(fx.server.url + "/login", { timeout: 120_000 });
    await page.getByLabel("User name").fill("Olga");
    await page.getByLabel("Password", { exact: true }).fill("one-time-pass");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("change-password-form").waitFor();
    await page.goto(fx.server.url + "/nodes" + LIMITS);
    await page.getByTestId("user-menu").getByText("Olga").waitFor();
    await page.getByTestId("user-menu").click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText(/one-time password/).waitFor();
    expect(await expectTitled(dialog)).toBe("Choose a new password");
    const [current, next] = [dialog.getByLabel("Current password"), dialog.getByLabel("New password")];
    const [a, b] = [await current.boundingBox(), await next.boundingBox()];
    expect(a && b && gapBetween(a, b), "the two fields are apart").toBeGreaterThanOrEqual(4);
    await shoot(page, "34-must-change-dialog");
    await current.fill("one-time-pass");
    await next.fill("olga-own-password");
    await dialog.getByRole("button", { name: "Change password" }).click();
    await until("the title once changed", async () => (await expectTitled(dialog)) === "Signed in as Olga");
    await context.close();

    // the other dialogs of Modal / FormDialog an admin opens
    const admin = await newUser(fx.browser, "Ada");
    const p: Page = admin.page;
    await p.goto(fx.server.url + "/users", { timeout: 120_000 });
    const row = p.getByTestId("users-table").locator("tr", { hasText: "Olga" });
    const adaRow = p.getByTestId("users-table").locator("tr", { hasText: "Ada" });
    const opens: [string, () => Promise<void>][] = [
      ["the user menu", () => p.getByTestId("user-menu").click()],
      ["reset password", () => row.getByRole("button", { name: "Reset password" }).click()],
      ["delete user", () => row.getByRole("button", { name: "Delete" }).click()],
      ["self-demotion", () => adaRow.getByRole("button", { name: "Remove admin on /" }).click()],
    ];
    for (const [what, open] of opens) {
      await open();
      expect(await expectTitled(p.getByRole("dialog")), what).not.toBe("");
      await p.getByRole("dialog").getByRole("button", { name: "Close" }).click();
      await until(`${what} closed`, async () => (await p.getByRole("dialog").count()) === 0);
    }
    await p.goto(fx.server.url + "/nodes" + LIMITS);
    await until("content", async () => (await editorText(p)).includes("maxAmount"));
    for (const [what, name] of [
      ["new child", "+ New child"],
      ["delete node", "Delete"],
    ] as const) {
      await p.getByRole("button", { name, exact: true }).click();
      expect(await expectTitled(p.getByRole("dialog")), what).not.toBe("");
      await p.getByRole("dialog").getByRole("button", { name: "Close" }).click();
      await until(`${what} closed`, async () => (await p.getByRole("dialog").count()) === 0);
    }
    await admin.context.close();
  });
});
