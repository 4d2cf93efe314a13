/**
 * Issue 14 leftovers in a real Chromium against a real server (engine + SQLite), two users in
 * two profiles, under a `review` policy on /live: the editor's button says what it does; Rex's
 * review count goes up and Ada's change page follows approval and conflict as they happen (pushed
 * over socket.io, no polling); a publish refused because a key moved is rebased three-way on the
 * change's page (base, live, proposed) onto the live version, which needs approval again; a new
 * node and a delete go into a change from their dialogs and publish in one multi.
 */
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

const KEY = "/live/e.properties";
const GONE = "/live/old.txt";
let fx: Fixture;

useFixture(async () => {
  fx = await startFixture();
  await fx.api.config.create.mutate({ path: "/live", content: "" });
  await fx.api.config.create.mutate({ path: KEY, content: "a=1\nb=1\nc=1\n" });
  await fx.api.config.create.mutate({ path: GONE, content: "bye" });
  await fx.api.releases.setPolicy.mutate({ prefix: "/live", mode: "review", approvalsRequired: 1 });
});

const PUBLISHER = [{ pathPrefix: "/", role: "publisher" }];
const status = async (page: import("playwright-core").Page) => page.getByTestId("change-status").innerText();

describe("change requests, live", { timeout: 300_000 }, () => {
  it("the count and the outcome arrive live; a moved key is rebased three-way and needs approval again", async () => {
    for (const name of ["Ada", "Rex"]) await ensureUser(fx.server.url, name, PUBLISHER);
    const adaApi = apiClient(fx.server.url, "Ada");
    const rexApi = apiClient(fx.server.url, "Rex");
    const rex = await newUser(fx.browser, "Rex", PUBLISHER);
    await rex.page.goto(fx.server.url + "/changes", { timeout: 120_000 });
    await rex.page.getByTestId("changes-screen").waitFor();
    expect(await rex.page.getByTestId("review-count").count()).toBe(0);

    // under review the editor proposes, it does not publish: its buttons say so
    const ada = await newUser(fx.browser, "Ada", PUBLISHER);
    await ada.page.goto(fx.server.url + "/nodes" + KEY, { timeout: 120_000 });
    await until("loaded", async () => (await editorText(ada.page)).startsWith("a=1"));
    await setEditorText(ada.page, "a=2\nb=1\nc=1\n");
    await until("label", async () => (await ada.page.getByTestId("review-button").innerText()) === "Review & propose");
    await ada.page.getByTestId("review-button").click();
    const add = ada.page.getByTestId("add-to-change");
    await add.getByLabel("Change title").fill("a to 2");
    expect(await ada.page.getByTestId("add-to-change-button").innerText()).toBe("Propose in a change");
    await ada.page.getByTestId("add-to-change-button").click();
    await ada.page.getByTestId("added-to-change").waitFor();
    await ada.page.getByTestId("added-to-change").getByRole("link").click();
    await ada.page.getByTestId("change-page").waitFor();
    const id = /\/changes\/(\d+)$/.exec(ada.page.url())?.[1] ?? "";
    await ada.page.getByTestId("submit-change").click();

    // Rex, already on the Changes screen, is told: no reload, no poll
    await until("count", async () => (await rex.page.getByTestId("review-count").first().innerText()) === "1");
    await rexApi.changes.review.mutate({ id, verdict: "approve" });
    await until("Ada sees the approval", async () => (await status(ada.page)) === "approved");
    await until("Rex's count drops", async () => (await rex.page.getByTestId("review-count").count()) === 0);

    // meanwhile another change moves the key, so publishing Ada's is refused
    const other = await adaApi.changes.create.mutate({
      title: "c to 2",
      items: [{ path: KEY, content: "a=1\nb=1\nc=2\n" }],
    });
    await adaApi.changes.submit.mutate({ id: other.id });
    await rexApi.changes.review.mutate({ id: other.id, verdict: "approve" });
    await rexApi.changes.publish.mutate({ id: other.id });
    await expect(rexApi.changes.publish.mutate({ id })).rejects.toThrow();
    await until("Ada sees the conflict", async () => (await status(ada.page)) === "conflicted");
    const rebase = ada.page.getByTestId("item-rebase");
    await rebase.getByTestId("their-change").waitFor();
    await rebase.getByTestId("your-change").waitFor();
    await shoot(ada.page, "changes-live-01-rebase-offered");
    await rebase.getByTestId("rebase-button").click();

    // merged (a from Ada, c from live), starting from the live version: a new revision to approve
    await until("back in review", async () => (await status(ada.page)) === "in review");
    const view = await fx.api.changes.get.query({ id });
    expect(view.change.items[0]).toMatchObject({ content: "a=2\nb=1\nc=2\n", baseVersion: 1 });
    expect(view.change.revision).toBe(2);
    expect(view.approvals).toMatchObject({ approvers: [], met: false });
    await until("0 approvals", async () =>
      (await ada.page.getByTestId("change-approvals").innerText()).startsWith("0 of 1"),
    );
    await until(
      "Rex is asked again",
      async () => (await rex.page.getByTestId("review-count").first().innerText()) === "1",
    );
    await shoot(ada.page, "changes-live-02-rebased");
    await rexApi.changes.review.mutate({ id, verdict: "approve" });
    await rexApi.changes.publish.mutate({ id });
    await until("Ada sees it published", async () => (await ada.page.getByTestId("change-published").count()) === 1);
    expect((await fx.api.config.get.query({ path: KEY })).data).toBe("a=2\nb=1\nc=2\n");
    for (const u of [ada, rex]) await u.context.close();
  });

  it("creates and deletes go into a change from their dialogs and publish in one multi", async () => {
    const ada = await newUser(fx.browser, "Ada", PUBLISHER);
    await ada.page.goto(fx.server.url + "/nodes/live", { timeout: 120_000 });
    await ada.page.getByRole("button", { name: "+ New child" }).click();
    const create = ada.page.getByRole("dialog", { name: "New node under /live" });
    await create.getByRole("textbox", { name: "Name", exact: true }).fill("born.txt");
    await create.getByTestId("create-policy").waitFor();
    // under review the direct Create is not possible: the change is the way
    expect(await create.getByRole("button", { name: "Create", exact: true }).isDisabled()).toBe(true);
    await create.getByLabel("Change title").fill("born and gone");
    await shoot(ada.page, "changes-live-03-create-dialog");
    // Enter in the title adds to the change; it never submits the dialog's direct Create
    await create.getByLabel("Change title").press("Enter");
    await ada.page.waitForURL(/\/changes\/\d+$/);
    const id = /\/changes\/(\d+)$/.exec(ada.page.url())?.[1] ?? "";

    await ada.page.goto(fx.server.url + "/nodes" + GONE, { timeout: 120_000 });
    await ada.page.getByRole("button", { name: "Delete", exact: true }).click();
    const del = ada.page.getByRole("dialog", { name: "Delete node" });
    await del.getByTestId("delete-policy").waitFor();
    expect(await del.getByRole("button", { name: "Delete", exact: true }).isDisabled()).toBe(true);
    const select = del.getByLabel("Change to add this edit to");
    await until(
      "the draft is offered",
      async () => (await select.locator("option", { hasText: "born and gone" }).count()) > 0,
    );
    await select.selectOption(id);
    await del.getByTestId("add-to-change-button").click();
    await ada.page.waitForURL(new RegExp(`/changes/${id}$`));

    // the change diff says what each item does
    await until("two items", async () => (await ada.page.getByTestId("change-item").count()) === 2);
    const ops = await ada.page.getByTestId("item-op").allInnerTexts();
    expect(ops.sort()).toEqual(["create", "delete"]);
    await shoot(ada.page, "changes-live-04-create-delete");
    expect((await fx.api.config.get.query({ path: GONE })).data).toBe("bye");

    await ada.page.getByTestId("submit-change").click();
    await until("in review", async () => (await status(ada.page)) === "in review");
    const rexApi = apiClient(fx.server.url, "Rex");
    await rexApi.changes.review.mutate({ id, verdict: "approve" });
    const release = await rexApi.changes.publish.mutate({ id });
    const born = await fx.api.config.get.query({ path: "/live/born.txt" });
    expect(born.stat.mzxid).toBe(String(release.zxid));
    await expect(fx.api.config.get.query({ path: GONE })).rejects.toThrow();
    await ada.context.close();
  });
});
