/**
 * Issue 14 item 9 in a real Chromium against a real server: on an approved change's page a
 * publisher schedules the publish for a time, the page says when and by whom, and cancelling it
 * brings the form back; the server holds (then clears) the schedule.
 */
import { describe, expect, it } from "vitest";
import { apiClient, newUser, shoot, startFixture, type Fixture, useFixture } from "./harness.ts";

let fx: Fixture;

useFixture(async () => {
  fx = await startFixture();
});

describe("scheduled publish in the console", { timeout: 300_000 }, () => {
  it("schedules an approved change and cancels it", async () => {
    await fx.api.config.create.mutate({ path: "/sched/app.json", content: '{"n":1}' });
    await fx.api.releases.setPolicy.mutate({ prefix: "/sched", mode: "review", approvalsRequired: 1 });
    const change = await fx.api.changes.create.mutate({
      title: "bump at night",
      items: [{ path: "/sched/app.json", content: '{"n":2}' }],
    });
    await fx.api.changes.submit.mutate({ id: change.id });
    await apiClient(fx.server.url, "sched-reviewer").changes.review.mutate({ id: change.id, verdict: "approve" });

    const { page } = await newUser(fx.browser, "Sami");
    await page.goto(fx.server.url + "/changes/" + change.id, { timeout: 120_000 });
    await page.getByTestId("change-schedule").waitFor();
    // two days ahead, in the browser's local time as <input type="datetime-local"> holds it
    const at = new Date(Date.now() + 2 * 86_400_000);
    at.setSeconds(0, 0);
    const local = new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await page.getByTestId("schedule-at").fill(local);
    await page.getByTestId("schedule-change").click();
    const scheduled = page.getByTestId("change-scheduled");
    await scheduled.getByText("scheduled by Sami", { exact: false }).waitFor();
    const stored = (await fx.api.changes.get.query({ id: change.id })).change;
    expect(stored).toMatchObject({ status: "approved", scheduledBy: "Sami" });
    expect(stored.scheduledAt).toBe(at.getTime());
    await shoot(page, "change-scheduled");

    await page.getByTestId("unschedule-change").click();
    await page.getByTestId("schedule-change").waitFor();
    expect(await scheduled.count()).toBe(0);
    expect((await fx.api.changes.get.query({ id: change.id })).change.scheduledAt).toBeNull();
    expect((await fx.api.config.get.query({ path: "/sched/app.json" })).data).toBe('{"n":1}');
    await shoot(page, "change-schedule-cancelled");
  });
});
