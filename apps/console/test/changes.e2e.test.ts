/**
 * Issue 14 in a real Chromium against a real server (engine + SQLite), two users in two
 * profiles: an admin sets a `review` policy on /team through the API; Ada drafts edits to three
 * keys in the console (the review step offers "Add to a change", not a direct publish), submits,
 * and cannot approve her own change; Rex sees it waiting in the top bar, approves and publishes;
 * all three keys are live at one zxid and the audit log lists every step. Screenshots at 1280
 * and 390 px go to test-artifacts/screenshots.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ensureUser } from "../../server/test/auth.ts";
import {
  apiClient,
  editorText,
  newUser,
  setEditorText,
  shoot,
  startFixture,
  until,
  type Fixture,
  useFixture,
} from "./harness.ts";

const KEYS = [
  { path: "/team/prod/a.json", before: '{ "n": 1 }', after: '{ "n": 2 }' },
  { path: "/team/prod/b.yaml", before: "n: 1\n", after: "n: 2\n" },
  { path: "/team/prod/c.properties", before: "n=1\n", after: "n=2\n" },
];
const TITLE = "bump n everywhere";
const RACED = "/team/prod/d.json";
let fx: Fixture;

useFixture(async () => {
  fx = await startFixture();
  for (const p of ["/team", "/team/prod"]) await fx.api.config.create.mutate({ path: p, content: "" });
  for (const k of KEYS) await fx.api.config.create.mutate({ path: k.path, content: k.before });
  await fx.api.config.create.mutate({ path: RACED, content: '{ "d": 1 }' });
  await fx.api.releases.setPolicy.mutate({ prefix: "/team", mode: "review", approvalsRequired: 1 });
});

const PUBLISHER = [{ pathPrefix: "/", role: "publisher" }];
const errors = (page: Page) => page.locator(".panel-error");

async function draftKey(page: Page, key: (typeof KEYS)[number], first: boolean): Promise<void> {
  await page.goto(fx.server.url + "/nodes" + key.path, { timeout: 120_000 });
  await until(`${key.path} loaded`, async () => (await editorText(page)).trim() === key.before.trim());
  await setEditorText(page, key.after);
  await page.getByTestId("review-button").click();
  await page.getByTestId("review-policy").waitFor();
  // under `review` the only way forward is a change request
  expect(await page.getByTestId("publish-button").count()).toBe(0);
  const add = page.getByTestId("add-to-change");
  if (first) {
    await add.getByLabel("Change title").fill(TITLE);
    await shoot(page, "changes-01-add-to-change");
  } else {
    const select = add.getByLabel("Change to add this edit to");
    await until("the draft is offered", async () => (await select.locator("option", { hasText: TITLE }).count()) > 0);
    const value = await select.locator("option", { hasText: TITLE }).getAttribute("value");
    await select.selectOption(value ?? "");
  }
  await page.getByTestId("add-to-change-button").click();
  await page.getByTestId("added-to-change").waitFor();
  // the draft is safe in the change: nothing went live
  expect((await fx.api.config.get.query({ path: key.path })).data).toBe(key.before);
}

describe("change requests in the console", { timeout: 300_000 }, () => {
  it("draft three keys, self-approval refused, a reviewer approves and publishes at one zxid, audited", async () => {
    const ada = await newUser(fx.browser, "Ada", PUBLISHER);
    for (const [i, key] of KEYS.entries()) await draftKey(ada.page, key, i === 0);

    // the Changes screen lists the draft; its page shows every key's diff
    await ada.page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: /Changes/ })
      .click();
    await ada.page.waitForURL(/\/changes$/);
    const drafts = ada.page.getByTestId("changes-draft");
    await drafts.getByRole("link", { name: new RegExp(TITLE) }).waitFor();
    await shoot(ada.page, "changes-02-list-draft");
    await drafts.getByRole("link", { name: new RegExp(TITLE) }).click();
    await ada.page.getByTestId("change-page").waitFor();
    await until("three keys", async () => (await ada.page.getByTestId("change-item").count()) === 3);
    await ada.page.getByTestId("submit-change").click();
    await until("in review", async () => (await ada.page.getByTestId("change-status").innerText()) === "in review");
    // the author cannot approve, and is told why
    await ada.page.getByTestId("own-change-note").waitFor();
    expect(await ada.page.getByTestId("approve-change").count()).toBe(0);
    expect(await ada.page.getByTestId("publish-change").count()).toBe(0);
    expect(await errors(ada.page).count()).toBe(0);
    await shoot(ada.page, "changes-03-author-in-review");
    const id = /\/changes\/(\d+)$/.exec(ada.page.url())?.[1] ?? "";
    expect(id).not.toBe("");

    // the reviewer, in another profile, sees it waiting in the top bar
    const rex = await newUser(fx.browser, "Rex", PUBLISHER);
    await rex.page.goto(fx.server.url + "/changes", { timeout: 120_000 });
    await until("count", async () => (await rex.page.getByTestId("review-count").first().innerText()) === "1");
    await rex.page
      .getByTestId("changes-in_review")
      .getByRole("link", { name: new RegExp(TITLE) })
      .click();
    await rex.page.getByTestId("change-page").waitFor();
    await rex.page.getByLabel("Review comment").fill("looks right");
    await rex.page.getByTestId("approve-change").click();
    await until("approved", async () => (await rex.page.getByTestId("change-status").innerText()) === "approved");
    await shoot(rex.page, "changes-04-reviewer-approved");
    // the author sees the outcome without reloading
    await until(
      "author sees approval",
      async () => (await ada.page.getByTestId("change-status").innerText()) === "approved",
    );
    await rex.page.getByTestId("publish-change").click();
    await rex.page.getByTestId("change-published").waitFor();
    await shoot(rex.page, "changes-05-published");

    // all three keys live, at one zxid
    const live = await Promise.all(KEYS.map((k) => fx.api.config.get.query({ path: k.path })));
    expect(live.map((n) => n.data)).toEqual(KEYS.map((k) => k.after));
    expect(new Set(live.map((n) => n.stat.mzxid)).size).toBe(1);
    const change = await fx.api.changes.get.query({ id });
    expect(change.change.status).toBe("published");

    // the audit log lists every step (API, and the console's audit screen for an admin)
    const actions = (await fx.api.audit.list.query({ limit: 100 })).items.map((a) => a.action);
    for (const a of ["policy.set", "change.create", "change.edit", "change.submit", "change.approve", "change.publish"])
      expect(actions, a).toContain(a);
    const root = await newUser(fx.browser, "Root");
    await root.page.goto(fx.server.url + "/audit", { timeout: 120_000 });
    for (const a of ["change.create", "change.submit", "change.approve", "change.publish"])
      await root.page.locator(`tr[data-action="${a}"]`).first().waitFor();
    await shoot(root.page, "changes-06-audit");
    for (const u of [ada, rex, root]) await u.context.close();
  });

  it("a publish refused because a key moved lists that key and shows live → proposed", async () => {
    for (const name of ["Ada", "Rex"]) await ensureUser(fx.server.url, name, PUBLISHER);
    const ada = apiClient(fx.server.url, "Ada");
    const rexApi = apiClient(fx.server.url, "Rex");
    const draft = async (title: string, content: string) => {
      const c = await ada.changes.create.mutate({ title, items: [{ path: RACED, content }] });
      await ada.changes.submit.mutate({ id: c.id });
      await rexApi.changes.review.mutate({ id: c.id, verdict: "approve" });
      return c.id;
    };
    const first = await draft("first", '{ "d": 2 }');
    const second = await draft("second", '{ "d": 3 }');
    await rexApi.changes.publish.mutate({ id: first });

    const rex = await newUser(fx.browser, "Rex", PUBLISHER);
    await rex.page.goto(fx.server.url + "/changes/" + second, { timeout: 120_000 });
    await rex.page.getByTestId("item-moved").waitFor();
    await rex.page.getByTestId("item-live-diff").waitFor();
    await rex.page.getByTestId("publish-change").click();
    await rex.page.getByTestId("change-conflicts").getByText(RACED).waitFor();
    await until("conflicted", async () => (await rex.page.getByTestId("change-status").innerText()) === "conflicted");
    expect((await fx.api.config.get.query({ path: RACED })).data).toBe('{ "d": 2 }');
    await shoot(rex.page, "changes-07-publish-conflict");
    await rex.context.close();
  });
});
