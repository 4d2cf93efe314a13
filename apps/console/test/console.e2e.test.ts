/**
 * The console end to end, in a real Chromium against a real Conifer server: empty state and
 * first create, browsing (tree, deep links, keyboard, search), refused invalid content (JSON,
 * TOML and .properties, with line and column),
 * publish reaching an SDK client, the conflict / rebase flow with two browsers, history diff
 * and rollback, live updates in an open view, the instances / cluster / audit screens, signing
 * in (and being sent there without a session), API tokens, and config values that try to run
 * script (shown as text, never executed, under the server's CSP).
 * Screenshots of every screen at 1280x800 and 390 px go to test-artifacts/screenshots.
 */
import { createClient, type ConiferClient } from "@conifer/sdk";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, sdkToken } from "../../server/test/auth.ts";
import {
  editorText,
  newUser,
  openContext,
  setEditorText,
  shoot,
  startFixture,
  until,
  type Fixture,
  useFixture,
} from "./harness.ts";

const LIMITS = "/payments/prod/limits.json";
const LIMITS_V0 = `{
  "maxAmount": 100,
  "currency": "EUR",
  "dailyCap": 5000
}`;

let fx: Fixture;
let sdk: ConiferClient | null = null;

useFixture(
  async () => (fx = await startFixture()),
  async () => {
    await sdk?.close().catch(() => {});
  },
);

async function openNode(page: Page, path: string): Promise<void> {
  await page.goto(fx.server.url + "/nodes" + path, { timeout: 120_000 });
  await page.locator('[data-testid="node-path"]').waitFor();
}

async function seed(): Promise<void> {
  const { api } = fx;
  const mk = async (
    path: string,
    content: string,
    mode: "persistent" | "persistent_sequential" | "container" = "persistent",
  ) => api.config.create.mutate({ path, content, mode });
  await mk("/payments/prod/flags.yaml", "checkout:\n  newFlow: true\n  retries: 3\n");
  await mk("/payments/staging", "");
  await mk("/payments/staging/limits.json", '{ "maxAmount": 10 }');
  await mk("/services", "");
  await mk("/services/search.properties", "index.shards=4\nindex.replicas=1\n");
  await mk("/services/ranking.toml", '[model]\nname = "bm25"\nk1 = 1.2\n');
  await mk("/services/jobs", "");
  await mk("/services/jobs/job-", "queued", "persistent_sequential");
  await mk("/services/jobs/job-", "queued", "persistent_sequential");
}

// generous ceilings for a shared, noisy machine; every wait inside polls for a condition
describe("console in a real browser", { timeout: 240_000 }, () => {
  it("explains the empty tree and creates the first config through the UI", async () => {
    const { context, page } = await newUser(fx.browser, "Alice");
    await page.goto(fx.server.url + "/", { timeout: 120_000 });
    await page.getByText("Create your first config").waitFor();
    await shoot(page, "01-empty-tree");

    await page.getByRole("button", { name: "+ Create a config" }).click();
    await page.getByLabel("Name", { exact: true }).fill(LIMITS.slice(1));
    await setEditorText(page, "{ broken");
    await page.locator('[data-testid="create-validation"]').getByText("Invalid JSON").waitFor();
    expect(await page.getByRole("button", { name: "Create", exact: true }).isDisabled()).toBe(true);
    await setEditorText(page, LIMITS_V0);
    await page.locator('[data-testid="create-validation"]').getByText("Valid").waitFor();
    await shoot(page, "02-create-dialog");
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await page.waitForURL("**/nodes/payments/prod/limits.json");
    await until("the editor to show the new config", async () => (await editorText(page)).includes('"dailyCap": 5000'));
    const node = await fx.api.config.get.query({ path: LIMITS });
    expect(node.data).toBe(LIMITS_V0);
    await context.close();
    await seed();
  });

  it("browses the tree: lazy children, counts, kind markers, deep links, keyboard, search", async () => {
    const { context, page } = await newUser(fx.browser, "Alice");
    await openNode(page, "/services/jobs");
    const tree = page.getByRole("tree");
    // the deep link opened the tree down to the node and selected it
    await tree.locator('[data-path="/services/jobs"][aria-selected="true"]').waitFor();
    await tree.locator('[data-path="/services/jobs"] .tree-count').getByText("2").waitFor();
    await tree.locator('[data-path="/services/jobs"]').press("ArrowRight");
    const seqRow = tree.locator('[data-path^="/services/jobs/job-"]').first();
    await seqRow.locator(".badge-seq").waitFor();
    // keyboard: down to the first job, Enter opens it
    await tree.locator('[data-path="/services/jobs"]').focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/nodes\/services\/jobs\/job-\d{10}$/);
    await until("job content", async () => (await editorText(page)) === "queued");

    // Stat: every field, zxids in hex, times as dates
    await page.getByRole("tab", { name: "Stat" }).click();
    const stat = page.locator('[data-testid="stat-table"]');
    for (const f of [
      "czxid",
      "mzxid",
      "pzxid",
      "ctime",
      "mtime",
      "version",
      "cversion",
      "aversion",
      "ephemeralOwner",
      "dataLength",
      "numChildren",
    ]) {
      await stat.locator(`[data-field="${f}"]`).waitFor();
    }
    expect(await stat.locator('[data-field="mzxid"]').innerText()).toMatch(/^0x[0-9a-f]+/);
    expect(await stat.locator('[data-field="ctime"]').innerText()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
    await shoot(page, "03-stat");

    // ?path= deep link form
    await page.goto(fx.server.url + "/nodes?path=" + encodeURIComponent("/payments/prod/flags.yaml"));
    await page.waitForURL("**/nodes/payments/prod/flags.yaml");
    await until("yaml content", async () => (await editorText(page)).includes("newFlow: true"));
    await shoot(page, "04-node-yaml", async (p) => {
      await p.getByRole("button", { name: "Show the tree" }).click();
      await p.locator(".drawer-open").waitFor();
    });

    // search by path, then by content
    const search = page.getByLabel("Search the tree");
    await search.fill("limits");
    await page.locator(".search-results").getByText("/payments/staging/limits.json").waitFor();
    await page.getByRole("radio", { name: "Content" }).click();
    await search.fill("bm25");
    const hit = page.locator(".search-results a", { hasText: "/services/ranking.toml" });
    await hit.waitFor();
    await shoot(page, "05-search");
    await hit.click();
    // the search stays in the URL beside the opened node (links.e2e covers reload and back)
    await page.waitForURL("**/nodes/services/ranking.toml?q=bm25&mode=content");
    await until("toml content", async () => (await editorText(page)).includes('name = "bm25"'));
    await context.close();
  });

  it("refuses invalid content with the parser's message", async () => {
    const { context, page } = await newUser(fx.browser, "Alice");
    await openNode(page, LIMITS);
    await until("content", async () => (await editorText(page)).includes("maxAmount"));
    const broken = LIMITS_V0.replace('"EUR",', '"EUR"');
    await setEditorText(page, broken);
    const validation = page.locator('[data-testid="validation"]');
    await validation.getByText("Invalid JSON at line 4").waitFor();
    expect(await page.locator('[data-testid="review-button"]').isDisabled()).toBe(true);
    await page.locator('[data-testid="publish-refused"]').waitFor();
    await shoot(page, "06-invalid");
    // the server refuses the same content with the same words
    const refused = await fx.api.config.update.mutate({ path: LIMITS, content: broken, expectedVersion: 0 }).then(
      () => null,
      (e: unknown) => e as { message: string; data?: { conifer?: { code: string; message: string } } },
    );
    expect(refused?.data?.conifer?.code).toBe("INVALID_CONTENT");
    expect(await validation.innerText()).toContain(refused!.data!.conifer!.message);
    expect((await fx.api.config.get.query({ path: LIMITS })).stat.version).toBe(0);
    await context.close();
  });

  it("refuses invalid TOML and .properties with the line and column, and publishes them once valid", async () => {
    const { context, page } = await newUser(fx.browser, "Alice");
    const cases = [
      {
        path: "/services/ranking.toml",
        name: "TOML",
        broken: '[model]\nname = "bm25"\nk1 = = 1.2\n',
        error: "Invalid TOML at line 3, column 6",
        badLine: "k1 = = 1.2",
        fixed: '[model]\nname = "bm25"\nk1 = 1.5\n',
        shot: "06b-invalid-toml",
      },
      {
        path: "/services/search.properties",
        name: ".properties",
        broken: "index.shards=4\nindex.name=\\u12G4\n",
        error: "Invalid .properties at line 2, column 12",
        badLine: "index.name=\\u12G4",
        fixed: "index.shards=8\nindex.replicas=1\n",
        shot: "06c-invalid-properties",
      },
    ];
    for (const c of cases) {
      const live = await fx.api.config.get.query({ path: c.path });
      await openNode(page, c.path);
      await until(`${c.path} in the editor`, async () => (await editorText(page)).trim() === live.data.trim());
      await setEditorText(page, c.broken);
      const validation = page.locator('[data-testid="validation"]');
      await validation.getByText(c.error).waitFor();
      // the editor marks the offending line too
      await until(
        "the offending line marked",
        async () => (await page.locator('[data-testid="editor"] .cm-error-line').innerText()) === c.badLine,
      );
      expect(await page.locator('[data-testid="review-button"]').isDisabled()).toBe(true);
      await page.locator('[data-testid="publish-refused"]').getByText(`until the content is valid ${c.name}`).waitFor();
      await shoot(page, c.shot);
      // the server refuses the same content with the same words
      const refused = await fx.api.config.update
        .mutate({ path: c.path, content: c.broken, expectedVersion: live.stat.version })
        .then(
          () => null,
          (e: unknown) => e as { data?: { conifer?: { code: string; message: string } } },
        );
      expect(refused?.data?.conifer?.code).toBe("INVALID_CONTENT");
      expect(refused?.data?.conifer?.message).toContain(c.error);

      await setEditorText(page, c.fixed);
      await validation.getByText(`Valid ${c.name}`).waitFor();
      expect(await page.locator('[data-testid="publish-refused"]').count()).toBe(0);
      await page.locator('[data-testid="review-button"]').click();
      await page.locator('[data-testid="publish-button"]').click();
      await page
        .locator('[data-testid="notice"]')
        .getByText(`Published version ${live.stat.version + 1}`)
        .waitFor();
      const after = await fx.api.config.get.query({ path: c.path });
      expect(after.stat.version).toBe(live.stat.version + 1);
      expect(after.data).toBe(c.fixed);
    }
    await context.close();
  });

  it("publishes a reviewed edit and an SDK client receives it", async () => {
    sdk = createClient({
      url: fx.server.url,
      app: "checkout-api",
      token: sdkToken(fx.server.url),
      labels: { region: "eu-1", canary: "true" },
    });
    const seen: unknown[] = [];
    sdk.watch(LIMITS, (value) => seen.push(value));
    await until("the SDK's first value", () => seen.length > 0);

    const { context, page } = await newUser(fx.browser, "Alice");
    await openNode(page, LIMITS);
    await until("content", async () => (await editorText(page)).includes("maxAmount"));
    await setEditorText(page, LIMITS_V0.replace('"maxAmount": 100', '"maxAmount": 250'));
    await page.locator('[data-testid="review-button"]').click();
    const diff = page.locator('[data-testid="review-diff"]');
    await diff.locator(".diff-del", { hasText: '"maxAmount": 100' }).waitFor();
    await diff.locator(".diff-ins", { hasText: '"maxAmount": 250' }).waitFor();
    await page.getByLabel("Publish message").fill("Raise the limit for Black Friday");
    await shoot(page, "07-review");
    await page.locator('[data-testid="publish-button"]').click();
    await page.locator('[data-testid="notice"]').getByText("Published version 1").waitFor();

    await until("the SDK to receive the published value", () =>
      seen.some((v) => (v as { maxAmount?: number } | undefined)?.maxAmount === 250),
    );
    const first = await until("history of version 1", async () =>
      (await fx.api.history.list.query({ path: LIMITS })).items.find((i) => i.version === 1),
    );
    expect(first).toMatchObject({
      version: 1,
      author: "Alice",
      source: "console",
      message: "Raise the limit for Black Friday",
    });
    await context.close();
  });

  it("detects a conflict between two browsers and re-applies the edit on top", async () => {
    const a = await newUser(fx.browser, "Alice");
    const b = await newUser(fx.browser, "Bob");
    await openNode(a.page, LIMITS);
    await openNode(b.page, LIMITS);
    await until("A content", async () => (await editorText(a.page)).includes('"maxAmount": 250'));
    await until("B content", async () => (await editorText(b.page)).includes('"maxAmount": 250'));
    const start = await editorText(b.page);

    // Bob starts editing one line; Alice publishes a change to another line meanwhile
    await setEditorText(b.page, start.replace('"dailyCap": 5000', '"dailyCap": 8000'));
    await setEditorText(a.page, start.replace('"currency": "EUR"', '"currency": "USD"'));
    await a.page.locator('[data-testid="review-button"]').click();
    await a.page.locator('[data-testid="publish-button"]').click();
    await a.page.locator('[data-testid="notice"]').getByText("Published version 2").waitFor();

    // Bob's open view says the server moved on, without touching his edit
    await b.page.locator('[data-testid="remote-banner"]').getByText("version 2").waitFor();
    expect(await editorText(b.page)).toContain('"dailyCap": 8000');
    await shoot(b.page, "08-remote-banner");

    // the review no longer offers a publish that would be refused: it names who published
    // version 2 and compares with it (issue 13 item 6)
    await b.page.locator('[data-testid="review-button"]').click();
    await b.page.locator('[data-testid="review-moved"]').getByText("Alice published version 2").waitFor();
    expect(await b.page.locator('[data-testid="publish-button"]').count()).toBe(0);
    await b.page.locator('[data-testid="compare-moved"]').click();
    const conflict = b.page.locator('[data-testid="conflict"]');
    await conflict.getByText("Alice published version 2").waitFor();
    await conflict.locator('[data-testid="their-change"] .diff-ins', { hasText: '"currency": "USD"' }).waitFor();
    await shoot(b.page, "09-conflict");
    expect((await fx.api.config.get.query({ path: LIMITS })).data).toContain('"currency": "USD"');

    await b.page.locator('[data-testid="rebase-button"]').click();
    const review = b.page.locator('[data-testid="review-diff"]');
    await review.locator(".diff-ins", { hasText: '"dailyCap": 8000' }).waitFor();
    await b.page.locator('[data-testid="publish-button"]').click();
    await b.page.locator('[data-testid="notice"]').getByText("Published version 3").waitFor();
    const live = await fx.api.config.get.query({ path: LIMITS });
    expect(live.data).toContain('"currency": "USD"');
    expect(live.data).toContain('"dailyCap": 8000');
    await a.context.close();
    await b.context.close();
  });

  it("a version published from the same user's other tab is called theirs, and review compares with it", async () => {
    const path = "/payments/two-tabs.json";
    await fx.api.config.create.mutate({ path, content: '{\n  "a": 1,\n  "b": 1\n}', mode: "persistent" });
    const { context, page: first } = await newUser(fx.browser, "Dora");
    const second = await context.newPage();
    await openNode(first, path);
    await openNode(second, path);
    await until(
      "both tabs loaded",
      async () => (await editorText(first)).includes('"a": 1') && (await editorText(second)).includes('"a": 1'),
    );
    const start = await editorText(first);
    // the first tab is already reviewing when the second publishes
    await setEditorText(first, start.replace('"a": 1', '"a": 2'));
    await first.locator('[data-testid="review-button"]').click();
    await first.locator('[data-testid="publish-button"]').waitFor();
    await setEditorText(second, start.replace('"b": 1', '"b": 2'));
    await second.locator('[data-testid="review-button"]').click();
    await second.locator('[data-testid="publish-button"]').click();
    await second.locator('[data-testid="notice"]').getByText("Published version 1").waitFor();
    // the first tab's review turns into a comparison with the version the other tab published
    const moved = first.locator('[data-testid="review-moved"]');
    await moved.getByText("You, in another tab or window, published version 1").waitFor();
    await first.locator('[data-testid="compare-moved"]').click();
    const conflict = first.locator('[data-testid="conflict"]');
    await conflict.getByText("You, in another tab or window, published version 1").waitFor();
    await conflict.getByText("Your change from the other tab").waitFor();
    await shoot(first, "09b-conflict-other-tab");
    await context.close();
  });

  it("diffs any two versions side by side and rolls back as a new version", async () => {
    const { context, page } = await newUser(fx.browser, "Carol");
    await openNode(page, LIMITS);
    await page.getByRole("tab", { name: "History" }).click();
    const table = page.locator('[data-testid="history-table"]');
    await table.locator('tr[data-version="3"]').waitFor();
    // the compare checkboxes work from the keyboard and wear the console's accent, not the browser's blue
    const v0box = table.locator('tr[data-version="0"]').getByRole("checkbox");
    await v0box.focus();
    await page.keyboard.press("Space");
    // polled: the selection also goes to the URL (issue 13 item 8) and the row re-renders from it
    await expect.poll(() => v0box.isChecked()).toBe(true);
    // polled: the colour eases in over a short transition
    await until("the checked, focused checkbox in the accent colour with its focus ring", () =>
      v0box.evaluate((el) => {
        const cs = getComputedStyle(el);
        return (
          el.matches(":focus-visible") &&
          cs.backgroundColor === "rgb(29, 122, 88)" &&
          cs.boxShadow.includes("rgba(29, 122, 88, 0.28)")
        );
      }),
    );
    await table.locator('tr[data-version="2"]').getByRole("checkbox").check();
    const diff = page.locator('[data-testid="history-diff"]');
    await diff.locator(".diff-del", { hasText: '"maxAmount": 100' }).waitFor();
    await diff.locator(".diff-ins", { hasText: '"currency": "USD"' }).waitFor();
    await shoot(page, "10-history-diff");

    // a row opens its version from the keyboard too
    await table.locator('tr[data-version="0"]').focus();
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Roll back to this version…" }).click();
    await page.getByLabel("Rollback message").fill("Back to the launch limits");
    await shoot(page, "11-rollback-dialog");
    await page.locator('[data-testid="rollback-confirm"]').click();
    await table.locator('tr[data-version="4"]').waitFor();
    const live = await fx.api.config.get.query({ path: LIMITS });
    expect(live.stat.version).toBe(4);
    expect(live.data).toBe(LIMITS_V0);
    const v4 = await until("history of version 4", async () =>
      (await fx.api.history.list.query({ path: LIMITS })).items.find((i) => i.version === 4),
    );
    expect(v4).toMatchObject({ version: 4, source: "rollback", author: "Carol", message: "Back to the launch limits" });
    await page.getByRole("tab", { name: "Content" }).click();
    await until("the rolled back content in the editor", async () => (await editorText(page)) === LIMITS_V0);
    await context.close();
  });

  it("updates an open view live and never clobbers unsaved edits", async () => {
    const { context, page } = await newUser(fx.browser, "Dave");
    const path = "/payments/prod/flags.yaml";
    await openNode(page, path);
    await until("content", async () => (await editorText(page)).includes("retries: 3"));
    const v = (await fx.api.config.get.query({ path })).stat.version;

    // a change through the API: the clean view follows and says what changed
    await fx.api.config.update.mutate({
      path,
      content: "checkout:\n  newFlow: true\n  retries: 5\n",
      expectedVersion: v,
      message: "more retries",
    });
    await page
      .locator('[data-testid="notice"]')
      .getByText(`version ${v + 1}`)
      .waitFor();
    await until("the new content", async () => (await editorText(page)).includes("retries: 5"));
    await page.getByRole("button", { name: "Show change" }).click();
    await page.locator('[data-testid="notice"] .diff-ins', { hasText: "retries: 5" }).waitFor();
    await shoot(page, "12-live-update");

    // unsaved edits + a change behind the server's back (straight to the backend)
    await setEditorText(page, "checkout:\n  newFlow: false\n  retries: 5\n");
    const session = await fx.server.backend.connect();
    try {
      await session.setData(path, Buffer.from("checkout:\n  newFlow: true\n  retries: 7\n"));
    } finally {
      await session.close();
    }
    await page
      .locator('[data-testid="remote-banner"]')
      .getByText(`version ${v + 2}`)
      .waitFor();
    expect(await editorText(page)).toContain("newFlow: false");
    await page.getByRole("button", { name: "Discard mine & reload" }).click();
    await until("reloaded content", async () => (await editorText(page)).includes("retries: 7"));
    await context.close();
  });

  it("shows instances, cluster and audit screens", async () => {
    const { context, page } = await newUser(fx.browser, "Alice");
    await page.goto(fx.server.url + "/instances");
    const inst = page.locator('[data-testid="instances-table"]');
    await inst.getByText("checkout-api").waitFor();
    await inst.getByText(LIMITS).waitFor();
    await inst.locator('[data-testid="instance-labels"]').getByText("region=eu-1").waitFor();
    await inst.locator('[data-testid="instance-labels"]').getByText("canary=true").waitFor();
    await shoot(page, "13-instances");

    // the label selector filters, and one the server refuses is explained under its box
    const selector = page.locator('[data-testid="instances-selector"]');
    await selector.fill("region=us-1");
    await selector.press("Enter");
    await page.locator('[data-testid="instances-empty"]').getByText("matching region=us-1").waitFor();
    await selector.fill("region=eu-1,canary");
    await selector.press("Enter");
    await inst.getByText("checkout-api").waitFor();
    await selector.fill("region=eu-1,,x");
    await selector.press("Enter");
    await page.locator('[data-testid="instances-selector-error"]').getByText("empty term").waitFor();
    await selector.fill("");
    await selector.press("Enter");
    await inst.getByText("checkout-api").waitFor();

    await page.goto(fx.server.url + "/cluster");
    await page.locator('[data-testid="cluster-kind"]').waitFor();
    await shoot(page, "14-cluster");

    await page.goto(fx.server.url + "/audit");
    const audit = page.locator('[data-testid="audit-table"]');
    await audit.getByText("Carol").first().waitFor();
    await page.getByRole("combobox", { name: "Actor" }).fill("Bob");
    await until(
      "the author filter",
      async () => (await audit.getByText("Carol").count()) === 0 && (await audit.getByText("Bob").count()) > 0,
    );
    await shoot(page, "15-audit");

    // the signed-in user is who publishes: the top bar names them
    await page.locator('[data-testid="user-menu"]').getByText("Alice").waitFor();
    await page.locator('[data-testid="user-menu"]').click();
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    await shoot(page, "16-user-menu");
    await context.close();
  });

  it("deletes only with confirmation, and a subtree only when asked", async () => {
    const { context, page } = await newUser(fx.browser, "Alice");
    await openNode(page, "/payments/staging");
    await page.getByRole("button", { name: "Delete" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete node" });
    await confirm.getByText("1 child").waitFor();
    expect(await confirm.getByRole("button", { name: "Delete" }).isDisabled()).toBe(true);
    await shoot(page, "17-delete-dialog");
    await confirm.getByLabel("Delete the whole subtree").check();
    await confirm.getByRole("button", { name: "Delete subtree" }).click();
    await page.waitForURL(/\/nodes\/payments$/);
    await until("the subtree to be gone", async () => {
      const r = await fx.api.tree.children.query({ path: "/payments" });
      return !r.children.some((c) => c.name === "staging");
    });
    await context.close();
  });

  it("sends a browser without a session to sign in, signs in, and runs under the CSP", async () => {
    const { context, page } = await openContext(fx.browser, "anonymous");
    const cspViolations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    const res = await page.goto(fx.server.url + "/nodes", { timeout: 120_000 });
    expect(res?.headers()["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
    expect(res?.headers()["x-frame-options"]).toBe("DENY");
    await page.waitForURL(/\/login\?next=/);
    await page.getByRole("textbox", { name: "User name" }).fill("admin");
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page
      .locator('[data-testid="login-error"]')
      .getByText(/Wrong user name or password/)
      .waitFor();
    await page.getByLabel("Password").fill(ADMIN_PASSWORD);
    await shoot(page, "20-login");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/nodes$/);
    await page.locator('[data-testid="user-menu"]').getByText("admin").waitFor();
    // the live socket connected with the session cookie (no "cannot reach" banner)
    await until(
      "live link",
      async () => (await page.getByText(/Cannot reach the server for live updates/).count()) === 0,
    );
    // an admin creates an API token: its secret is shown once
    await page.goto(fx.server.url + "/tokens");
    await page.getByRole("textbox", { name: "Token name" }).fill("ci-reader");
    await page.getByRole("textbox", { name: "Path prefixes" }).fill("/payments");
    await page.getByRole("button", { name: "Create token" }).click();
    const secret = await page.locator('[data-testid="new-token-secret"]').innerText();
    expect(secret).toMatch(/^cnf_/);
    const rest = await fetch(`${fx.server.url}/api/v1/config?path=${encodeURIComponent(LIMITS)}`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(rest.status).toBe(200);
    await shoot(page, "21-tokens");
    await page.reload();
    await page.locator('[data-testid="tokens-table"]').getByText("ci-reader").waitFor();
    expect(await page.locator("body").innerText()).not.toContain(secret);
    // and a user: created with a first role, then granted another one from the list
    await page.goto(fx.server.url + "/users");
    await page.getByRole("textbox", { name: "New user name" }).fill("rita");
    await page.getByLabel("Initial password").fill("rita-initial-pw");
    await page.getByRole("textbox", { name: "Path prefix" }).fill("/payments");
    await page.getByRole("combobox", { name: "Role", exact: true }).selectOption("editor");
    await page.getByRole("button", { name: "Create user" }).click();
    const users = page.locator('[data-testid="users-table"]');
    await users.getByText("editor on /payments").waitFor();
    // the form is cleared once the user exists (no initial password left behind)
    await until(
      "the new-user form to clear",
      async () =>
        (await page.getByLabel("Initial password").inputValue()) === "" &&
        (await page.getByRole("textbox", { name: "New user name" }).inputValue()) === "",
    );
    await page.getByRole("textbox", { name: "Prefix for rita" }).fill("/services");
    await page.getByRole("combobox", { name: "Role for rita" }).selectOption("viewer");
    await users.locator("tr", { hasText: "rita" }).getByRole("button", { name: "Grant" }).click();
    await users.getByText("viewer on /services").waitFor();
    await until(
      "the grant controls to reset",
      async () => (await page.getByRole("textbox", { name: "Prefix for rita" }).inputValue()) === "/",
    );
    const rita = (await fx.api.users.list.query()).find((u) => u.username === "rita");
    expect(rita?.roles.map((r) => `${r.role} ${r.pathPrefix}`).sort()).toEqual([
      "editor /payments",
      "viewer /services",
    ]);
    await shoot(page, "21b-users");
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it("shows config values that carry script as text and never runs them", async () => {
    const payload = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;
    await fx.api.config.create.mutate({ path: "/xss", content: "" });
    await fx.api.config.create.mutate({ path: "/xss/page.txt", content: payload });
    await fx.api.config.create.mutate({ path: "/xss/value.json", content: JSON.stringify({ html: payload }) });
    await fx.api.config.create.mutate({ path: "/xss/<img src=x onerror=window.__xss=3>", content: payload });
    await fx.api.config.update.mutate({
      path: "/xss/page.txt",
      content: payload + "\n<svg onload=window.__xss=4>",
      expectedVersion: 0,
    });
    const { context, page } = await newUser(fx.browser, "Alice");
    await openNode(page, "/xss/page.txt");
    await until("the payload shown as text", async () =>
      (await editorText(page)).includes('<img src=x onerror="window.__xss=1">'),
    );
    await page.getByRole("tab", { name: "History" }).click();
    await page.locator('[data-testid="history-table"] tr[data-version="1"]').waitFor();
    await openNode(page, "/xss/value.json");
    await until("the JSON payload shown as text", async () =>
      (await editorText(page)).includes("<script>window.__xss=2</script>"),
    );
    await openNode(page, "/xss");
    await page.getByText("<img src=x onerror=window.__xss=3>").first().waitFor();
    await page.goto(fx.server.url + "/audit");
    await page.locator('[data-testid="audit-table"]').getByText("/xss/value.json").first().waitFor();
    await shoot(page, "22-xss-as-text");
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator("img[src=x], svg[onload]").count()).toBe(0);
    await context.close();
  });

  it("hides what a viewer may not do (the server refuses it anyway)", async () => {
    const { context, page } = await newUser(fx.browser, "Vic", [{ pathPrefix: "/payments", role: "viewer" }]);
    await openNode(page, LIMITS);
    await until("content", async () => (await editorText(page)).includes("maxAmount"));
    expect(await page.getByRole("button", { name: "+ New child" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Delete" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "API tokens" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Audit log" }).count()).toBe(0);
    await page.getByRole("tab", { name: "History" }).click();
    await page.locator('[data-testid="history-table"] tr[data-version="0"] td.msg').click();
    await page.getByRole("button", { name: "Close" }).waitFor();
    expect(await page.getByRole("button", { name: "Roll back to this version…" }).count()).toBe(0);
    // the tree shows only the branch leading to what Vic may read
    await page.goto(fx.server.url + "/nodes/services");
    await page
      .getByText(/may not read|not allowed|FORBIDDEN/i)
      .first()
      .waitFor();
    await shoot(page, "23-viewer");
    await context.close();
  });
});
