/**
 * Issue 13 item 9 in a real Chromium against a real server: an admin sets the default lifetime
 * of new API tokens, creates a token with an expiry of its own and one with the default, and
 * sees each one's expiry; a token past its expiry is shown as "expired" (and is refused by the
 * server). Screenshots at 1280 and 390 px.
 */
import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { dateTime } from "../lib/display.ts";
import { newUser, shoot, startFixture, until, type Fixture, useFixture } from "./harness.ts";

const DAY = 86_400_000;
let fx: Fixture;

useFixture(async () => {
  fx = await startFixture();
});

describe("API token expiry in the console", { timeout: 300_000 }, () => {
  it("sets the default lifetime, creates tokens with an expiry and shows expired ones", async () => {
    // a token that expired a minute ago (as the server stores it: only the digest)
    const secret = `cnf_${randomBytes(24).toString("base64url")}`;
    await fx.server.history.accounts.createToken({
      name: "old-ci",
      tokenHash: createHash("sha256").update(secret).digest("hex"),
      prefixes: ["/"],
      access: "read",
      createdBy: "admin",
      expiresAt: Date.now() - 60_000,
    });
    const { context, page } = await newUser(fx.browser, "Tomas");
    await page.goto(fx.server.url + "/tokens", { timeout: 120_000 });
    const table = page.getByTestId("tokens-table");
    const row = (name: string) => table.locator("tr", { hasText: name });
    await row("old-ci").getByText("expired").waitFor();

    // the admin's default: 30 days
    const dflt = page.getByLabel("Default lifetime of new tokens");
    await until("settings loaded", async () => (await dflt.inputValue()) === "never");
    await dflt.selectOption("30");
    await until("default saved", async () => (await fx.api.tokens.settings.query()).defaultLifetimeDays === 30);
    await page.getByLabel("Expires").locator("option", { hasText: "default (30 days)" }).waitFor({ state: "attached" });

    // a token with its own expiry
    await page.getByLabel("Token name").fill("short-lived");
    await page.getByLabel("Expires").selectOption("7");
    await page.getByRole("button", { name: "Create token" }).click();
    await page.getByTestId("new-token-secret").waitFor();
    await row("short-lived").waitFor();
    // the form is ready for the next token: back to the default lifetime
    expect(await page.getByLabel("Expires").inputValue()).toBe("default");

    // and one with the default
    await page.getByLabel("Token name").fill("with-default");
    await page.getByRole("button", { name: "Create token" }).click();
    await row("with-default").waitFor();

    const tokens = await fx.api.tokens.list.query();
    const expiry = (name: string) => tokens.find((t) => t.name === name)?.expiresAt ?? 0;
    expect(Math.round((expiry("short-lived") - Date.now()) / DAY)).toBe(7);
    expect(Math.round((expiry("with-default") - Date.now()) / DAY)).toBe(30);
    // the table shows each expiry as the console formats times (the browser's time zone is this process's)
    await row("short-lived")
      .getByText(dateTime(expiry("short-lived")))
      .waitFor();
    await row("with-default")
      .getByText(dateTime(expiry("with-default")))
      .waitFor();
    expect(await row("short-lived").getByText("active").count()).toBe(1);
    await shoot(page, "tokens-expiry");

    // the expired one is refused, saying why
    const res = await fetch(fx.server.url + "/api/v1/config?path=/", {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('"old-ci" expired');
    await context.close();
  });
});
