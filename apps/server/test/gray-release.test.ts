/**
 * Gray releases end to end (issue 16) on a real server and the embedded engine, with three SDK
 * clients labelled {region: eu-1}, {region: us-1} and {region: eu-1, canary: "true"}: a gray to
 * `region=eu-1` reaches exactly clients 1 and 3 live (their watch and get see the gray content)
 * while client 2 stays on live content; a direct edit of the key is refused naming the gray;
 * narrowing the target to the canaries takes 1 back to live; abort takes 3 back too; a new gray promoted reaches all three and is the live znode.
 */
import { describe, expect, it } from "vitest";
import type { ConiferClient } from "@conifer/sdk";
import type { RunningServer } from "../src/index.ts";
import { failure } from "./helpers.ts";
import { eventually, publish, useSdkServer, type Api } from "./sdk-fixtures.ts";

let server: RunningServer;
let api: Api;
const clients = useSdkServer("conifer-gray-", (s, a) => {
  server = s;
  api = a;
});

const KEY = "/gray/app.json";

/** every value each client's watch delivered after it was set, in order */
function watched(c: ConiferClient): unknown[] {
  const seen: unknown[] = [];
  c.watch(KEY, (value) => seen.push(value));
  return seen;
}

describe("gray releases", () => {
  it("reach only the targeted instances; edits refused; abort returns them; promote reaches all", async () => {
    await publish(api, KEY, '{"v":"live"}');
    const c1 = clients.make({ url: server.url, app: "gray", labels: { region: "eu-1" } });
    const c2 = clients.make({ url: server.url, app: "gray", labels: { region: "us-1" } });
    const c3 = clients.make({ url: server.url, app: "gray", labels: { region: "eu-1", canary: "true" } });
    const all = [c1, c2, c3];
    for (const c of all) expect(await c.get(KEY)).toEqual({ v: "live" });
    const seen = all.map(watched);
    const now = async () => Promise.all(all.map((c) => c.get(KEY)));

    const gray = await api.gray.start.mutate({
      title: "eu first",
      keys: [{ path: KEY, content: '{"v":"gray"}' }],
      target: { selector: "region=eu-1" },
    });
    await eventually(() => seen[0]?.length === 1 && seen[2]?.length === 1, "clients 1 and 3 told of the gray");
    expect(await now()).toEqual([{ v: "gray" }, { v: "live" }, { v: "gray" }]);
    expect(seen[0]).toEqual([{ v: "gray" }]);
    expect(seen[1]).toEqual([]);
    expect((await api.gray.list.query()).map((g) => g.id)).toEqual([gray.id]);
    expect(await api.gray.get.query({ id: gray.id })).toMatchObject({ state: "active", author: "sdk-e2e" });

    // a direct edit of a key in an active gray release is refused, naming the gray release
    const { stat } = await api.config.get.query({ path: KEY });
    const err = await failure(
      api.config.update.mutate({ path: KEY, content: '{"v":"x"}', expectedVersion: stat.version }),
    );
    expect(err.code).toBe("CONFLICT");
    expect(err.message).toContain(`gray release ${gray.id}: promote or abort`);

    // narrowed to the canaries: client 1 goes back to live, client 3 stays (and is not told again)
    await api.gray.updateTarget.mutate({ id: gray.id, target: { selector: "region=eu-1,canary=true" } });
    await eventually(() => seen[0]?.length === 2, "client 1 back on live");
    expect(await now()).toEqual([{ v: "live" }, { v: "live" }, { v: "gray" }]);

    await api.gray.abort.mutate({ id: gray.id });
    await eventually(() => seen[2]?.length === 2, "client 3 back on live");
    expect(await now()).toEqual([{ v: "live" }, { v: "live" }, { v: "live" }]);
    expect(seen[0]).toEqual([{ v: "gray" }, { v: "live" }]);
    expect(seen[1]).toEqual([]);
    expect(seen[2]).toEqual([{ v: "gray" }, { v: "live" }]);
    expect((await api.gray.get.query({ id: gray.id })).state).toBe("aborted");

    const next = await api.gray.start.mutate({
      keys: [{ path: KEY, content: '{"v":"next"}' }],
      target: { selector: "region=eu-1" },
    });
    await eventually(() => seen[0]?.length === 3 && seen[2]?.length === 3, "clients 1 and 3 on the new gray");
    const release = await api.gray.promote.mutate({ id: next.id, message: "everyone" });
    expect(release.status).toBe("published");
    await eventually(async () => (await now()).every((v) => (v as { v: string }).v === "next"), "all on the promoted");
    expect(seen[1]).toEqual([{ v: "next" }]);
    expect((await api.config.get.query({ path: KEY })).data).toBe('{"v":"next"}');
    expect((await api.gray.list.query()).map((g) => g.id)).toEqual([gray.id]);
  });
});
