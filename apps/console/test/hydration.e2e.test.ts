/**
 * Hydration on a slow machine: a scoped user opening / is sent on to their first readable
 * prefix while the page may still be hydrating. A Suspense boundary hydrated apart from the page
 * (the tree pane's, once) broke hydration whenever that navigation reached it first (React #418),
 * which only a slow CPU shows: Chromium's CPU throttling makes it slow on purpose. Each load must
 * leave no uncaught page error (checked for every test by useFixture) and ask for nothing the user
 * may not read (no 403 in the browser's console).
 */
import { describe, expect, it } from "vitest";
import { newUser, startFixture, until, type Fixture, useFixture } from "./harness.ts";

const LIMITS = "/payments/prod/limits.json";
let fx: Fixture;

useFixture(async () => {
  fx = await startFixture();
  await fx.api.config.create.mutate({ path: LIMITS, content: '{ "maxAmount": 100 }', mode: "persistent" });
});

describe("hydration on a slow CPU", { timeout: 300_000 }, () => {
  it("a scoped user's landing from / and /nodes leaves no hydration error", async () => {
    const { context, page } = await newUser(fx.browser, "Hana", [{ pathPrefix: "/payments", role: "viewer" }]);
    // landing must not ask for what the user may not read: a 403 shows as an error in the browser's console
    const refused: string[] = [];
    page.on("response", (r) => {
      if (r.status() === 403) refused.push(r.url());
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 8 });
    for (let round = 0; round < 3; round++) {
      for (const start of ["/", "/nodes"]) {
        await page.goto(fx.server.url + start, { timeout: 120_000 });
        await until("landed on /payments", () => new URL(page.url()).pathname === "/nodes/payments");
        await page.waitForLoadState("networkidle");
      }
    }
    await context.close();
    expect(refused).toEqual([]);
  });
});
