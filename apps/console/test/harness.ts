/**
 * Fixtures for the console's browser tests: a real Conifer server (temp data dir, random port,
 * hosting the built console), a real Chromium driven by playwright-core, a typed tRPC client
 * for seeding and checking, polling helpers (never fixed sleeps) and screenshots at two widths.
 * Every browser profile is a signed-in user (created as an admin through the API, its session
 * cookies placed in the profile), exactly as if it had used the sign-in page.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AppRouter } from "@conifer/api";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, vi } from "vitest";
import { startServer, type RunningServer, type ServerConfig } from "../../server/src/index.ts";
import {
  ADMIN_PASSWORD,
  authedFetch,
  ensureUser,
  login,
  mintSdkToken,
  sessionHeaders,
} from "../../server/test/auth.ts";
import { consoleDir, ensureConsoleBuilt } from "../scripts/ensure-build.mjs";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, "..", "..", "..");
export const screenshotDir = join(repoRoot, "test-artifacts", "screenshots");

export const CHROMIUM = process.env["CONIFER_CHROMIUM"] ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Fixture {
  server: RunningServer;
  browser: Browser;
  api: ReturnType<typeof apiClient>;
  dataDir: string;
  /**
   * Stops the server, runs `whileDown` (the console is cut off meanwhile), then starts a new
   * one on the same port with the same data dir and options, so open pages reconnect by themselves.
   */
  restartServer(whileDown: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export function apiClient(url: string, author = "seed-script") {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: url + "/trpc",
        headers: () => ({ "x-conifer-source": "api" }),
        fetch: authedFetch(url, author),
      }),
    ],
  });
}

/** A server hosting the built console; `extra` picks e.g. another backend (`backendUrl`). */
export async function startFixture(extra: Partial<ServerConfig> = {}): Promise<Fixture> {
  await ensureConsoleBuilt({ quiet: true });
  const dataDir = mkdtempSync(join(tmpdir(), "conifer-console-e2e-"));
  const server = await startServer({
    port: 0,
    dataDir,
    serveConsole: true,
    consoleDir,
    quiet: true,
    adminPassword: ADMIN_PASSWORD,
    ...extra,
  });
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  } catch (err) {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  mkdirSync(screenshotDir, { recursive: true });
  currentServerUrl = server.url;
  const fixture: Fixture = {
    server,
    browser,
    api: apiClient(server.url),
    dataDir,
    async restartServer(whileDown) {
      const port = Number(new URL(fixture.server.url).port);
      await fixture.server.close();
      await whileDown();
      fixture.server = await startServer({
        port,
        dataDir,
        serveConsole: true,
        consoleDir,
        quiet: true,
        adminPassword: ADMIN_PASSWORD,
        ...extra,
      });
    },
    async close() {
      started.delete(fixture);
      await browser.close().catch(() => {});
      await fixture.server.close().catch(() => {});
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  started.add(fixture);
  // the read token SDK clients in the suite connect with (sdkToken())
  await mintSdkToken(server.url);
  return fixture;
}

/** Fixtures started and not closed yet: useFixture closes them even when its `start` failed half-way. */
const started = new Set<Fixture>();

/**
 * The hooks every browser-test file needs: `start` runs once before its tests (it starts the
 * fixture and seeds what the file needs), every test must leave no uncaught page error (a failed
 * one leaves a screenshot of each open page), and at the end every fixture started is closed,
 * then `stop` runs (e.g. a ZooKeeper ensemble), also when `start` failed.
 */
export function useFixture(start: () => Promise<unknown>, stop?: () => Promise<void>): void {
  beforeAll(async () => {
    await start();
  }, 900_000);
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === "fail") await captureAndCloseAll(ctx.task.name);
    expect(pageErrors, "uncaught errors in the console").toEqual([]);
  });
  afterAll(async () => {
    for (const f of [...started]) await f.close();
    await stop?.();
  }, 120_000);
}

/** A fresh, isolated browser profile with no session (it sees the sign-in page). */
export async function openContext(browser: Browser, label: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on("pageerror", (e) => pageErrors.push(`${label}: ${String(e)}`));
  openContexts.add(context);
  context.on("close", () => openContexts.delete(context));
  return { context, page };
}

/**
 * A fresh, isolated browser profile signed in as `author`: an admin user created on first use,
 * or, with `roles`, a user holding just those roles.
 */
export async function newUser(
  browser: Browser,
  author: string,
  roles?: { pathPrefix: string; role: string }[],
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const url = currentServerUrl;
  if (!url) throw new Error("newUser: start the fixture first");
  const session = roles
    ? await login(url, author, await ensureUser(url, author, roles))
    : await sessionHeaders(url, author);
  await context.addCookies(
    session.cookie.split("; ").map((pair) => {
      const eq = pair.indexOf("=");
      return {
        name: pair.slice(0, eq),
        value: pair.slice(eq + 1),
        url,
        httpOnly: pair.startsWith("conifer_session="),
        sameSite: "Strict" as const,
      };
    }),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on("pageerror", (e) => pageErrors.push(`${author}: ${String(e)}`));
  openContexts.add(context);
  context.on("close", () => openContexts.delete(context));
  return { context, page };
}

const openContexts = new Set<BrowserContext>();
/** The fixture's server: profiles sign in there unless told otherwise. */
let currentServerUrl: string | undefined;
/** Uncaught errors in any page: the console must never crash, so tests assert this stays empty. */
export const pageErrors: string[] = [];

/** After a failed test: a screenshot of every page still open (to see why), then close them. */
export async function captureAndCloseAll(testName: string): Promise<void> {
  const slug = testName.replace(/[^a-z0-9]+/gi, "-").slice(0, 60);
  let i = 0;
  for (const context of [...openContexts]) {
    for (const page of context.pages()) {
      await page.screenshot({ path: join(screenshotDir, `FAILED-${slug}-${i++}.png`) }).catch(() => {});
    }
    await context.close().catch(() => {});
  }
}

/** Polls until `check` returns a truthy value (or throws the last failure at the deadline). */
export function until<T>(
  what: string,
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 30_000,
): Promise<T> {
  return vi.waitFor(
    async () => {
      let v: T | undefined | null | false;
      try {
        v = await check();
      } catch (err) {
        throw new Error(`timed out waiting for ${what}: ${String(err)}`, { cause: err });
      }
      if (!v) throw new Error(`timed out waiting for ${what}`);
      return v;
    },
    { timeout: timeoutMs, interval: 100 },
  );
}

/** The text in the (first) code editor on the page. */
export async function editorText(page: Page, index = 0): Promise<string> {
  return page
    .locator('[data-testid="editor"] .cm-content')
    .nth(index)
    .evaluate((el) =>
      Array.from(el.querySelectorAll(".cm-line"))
        .map((l) => (l as HTMLElement).innerText.replace(/\n$/, ""))
        .join("\n"),
    );
}

/** Replace the editor's content as a user would (select all, type). */
export async function setEditorText(page: Page, text: string): Promise<void> {
  const content = page.locator('[data-testid="editor"] .cm-content').first();
  await content.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(text);
}

/** Screenshots of the current screen at 1280x800 and at 390 px wide; restores 1280x800. */
export async function shoot(page: Page, name: string, narrow?: (page: Page) => Promise<void>): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await settle(page);
  await page.screenshot({ path: join(screenshotDir, `${name}-1280.png`) });
  await page.setViewportSize({ width: 390, height: 844 });
  await settle(page);
  if (narrow) {
    await narrow(page);
    await settle(page);
  }
  await page.screenshot({ path: join(screenshotDir, `${name}-390.png`) });
  await page.setViewportSize({ width: 1280, height: 800 });
  await settle(page);
}

/** Lets CSS transitions triggered by a resize (the tree drawer) finish before a screenshot. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    // transitions only: infinite animations (the editor's blinking cursor) never finish
    await Promise.all(
      document
        .getAnimations()
        .filter((a) => a instanceof CSSTransition)
        .map((a) => a.finished.catch(() => null)),
    );
  });
}
