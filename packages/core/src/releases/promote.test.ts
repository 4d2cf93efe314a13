/**
 * Promote as a change request on a real embedded engine and SQLite, per format: whole keys are
 * created or updated on the target, selected fields land in the target's document, the target's
 * overrides stay when asked; the result is a draft on the target from its live versions, which
 * then follows the target's policy. Permissions: read on the source, propose on the target.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseToml } from "smol-toml";
import { failure, openFixture, user, type Fixture } from "./test-fixture.ts";

let f: Fixture;
const admin = user("root", [["/", "admin"]]);
const alice = user("alice", [["/", "editor"]]);
const bob = user("bob", [["/", "publisher"]]);

const S = "/shop/staging";
const P = "/shop/prod";

const files: Record<string, [string, string]> = {
  "app.json": ['{\n  "pool": 50,\n  "url": "stg",\n  "beta": true\n}\n', '{\n  "pool": 10,\n  "url": "prod"\n}\n'],
  "db.yaml": [
    "pool:\n  max: 50\n  min: 5\nhost: staging-db\n",
    "# prod: edit with care\npool:\n  max: 10 # sized for prod\n  min: 2\nhost: prod-db\n",
  ],
  "cache.toml": ['ttl = 60\nsize = 500\n[redis]\nhost = "stg"\n', 'ttl = 30\n[redis]\nhost = "prod"\n'],
  "jdbc.properties": [
    "db.pool.max=50\ndb.url=jdbc:pg://staging\nfeature.beta=true\n",
    "# production\ndb.pool.max = 10\ndb.url = jdbc:pg://prod\n",
  ],
};

async function live(path: string): Promise<string> {
  return (await f.other.getData(path)).data.toString();
}

beforeAll(async () => {
  f = await openFixture();
  for (const [key, [staging, prod]] of Object.entries(files)) {
    await f.conifer.config.create(admin.actor, { path: `${S}/${key}`, content: staging });
    await f.conifer.config.create(admin.actor, { path: `${P}/${key}`, content: prod });
  }
  await f.conifer.config.create(admin.actor, { path: `${S}/new.txt`, content: "only on staging" });
});
afterAll(() => f.close());

describe("promote as a change request", () => {
  it("a draft on the target, titled, each item from the target's live version; nothing live changes", async () => {
    const change = await f.conifer.releases.promote(alice, {
      from: S,
      to: P,
      keys: ["new.txt"],
      fields: [{ key: "app.json", paths: [["pool"]] }],
    });
    expect(change).toMatchObject({ status: "draft", title: `Promote ${S} → ${P}`, author: "alice" });
    const version = (await f.other.getData(`${P}/app.json`)).stat.version;
    const items = [...change.items].sort((a, b) => a.path.localeCompare(b.path));
    expect(items.map((i) => [i.path, i.op, i.baseVersion])).toEqual([
      [`${P}/app.json`, "update", version],
      [`${P}/new.txt`, "create", -1],
    ]);
    expect(JSON.parse(items[0]?.content ?? "")).toEqual({ pool: 50, url: "prod" });
    expect(items[1]?.content).toBe("only on staging");
    expect(await live(`${P}/app.json`)).toBe(files["app.json"]?.[1]);
    await f.conifer.releases.changes.withdraw(alice, change.id);
  });

  it("JSON: a whole key, selected fields, and keeping the target's overrides", async () => {
    const whole = await f.conifer.releases.promote(alice, { from: S, to: P, keys: ["app.json"] });
    expect(whole.items[0]?.content).toBe(files["app.json"]?.[0]);
    const kept = await f.conifer.releases.promote(alice, {
      from: S,
      to: P,
      keys: ["app.json"],
      keepTargetOverrides: true,
      title: "beta flag to prod",
    });
    expect(kept.title).toBe("beta flag to prod");
    expect(JSON.parse(kept.items[0]?.content ?? "")).toEqual({ pool: 10, url: "prod", beta: true });
    const fields = await f.conifer.releases.promote(alice, {
      from: S,
      to: P,
      fields: [{ key: "app.json", paths: [["beta"], ["url"]] }],
    });
    expect(fields.items[0]?.content).toBe('{\n  "pool": 10,\n  "url": "stg",\n  "beta": true\n}\n');
  });

  it("YAML: fields land in place, the target's comments stay", async () => {
    const c = await f.conifer.releases.promote(alice, {
      from: S,
      to: P,
      fields: [{ key: "db.yaml", paths: [["pool", "max"]] }],
    });
    expect(c.items[0]?.content).toBe(
      "# prod: edit with care\npool:\n  max: 50 # sized for prod\n  min: 2\nhost: prod-db\n",
    );
    const kept = await f.conifer.releases.promote(alice, {
      from: S,
      to: P,
      fields: [{ key: "db.yaml", paths: [["pool"]] }],
      keepTargetOverrides: true,
    });
    expect(kept.items[0]?.content).toBe(files["db.yaml"]?.[1]); // the target overrides every field
  });

  it("TOML: a field and a nested table", async () => {
    const c = await f.conifer.releases.promote(alice, {
      from: S,
      to: P,
      fields: [{ key: "cache.toml", paths: [["size"], ["redis", "host"]] }],
    });
    expect(parseToml(c.items[0]?.content ?? "")).toEqual({ ttl: 30, size: 500, redis: { host: "stg" } });
    const kept = await f.conifer.releases.promote(alice, {
      from: S,
      to: P,
      keys: ["cache.toml"],
      keepTargetOverrides: true,
    });
    expect(parseToml(kept.items[0]?.content ?? "")).toEqual({ ttl: 30, size: 500, redis: { host: "prod" } });
  });

  it(".properties: entries replaced in place, comments kept; keep-overrides adds only the missing", async () => {
    const c = await f.conifer.releases.promote(alice, {
      from: S,
      to: P,
      fields: [{ key: "jdbc.properties", paths: [["db.pool.max"], ["feature.beta"]] }],
    });
    expect(c.items[0]?.content).toBe("# production\ndb.pool.max=50\ndb.url = jdbc:pg://prod\nfeature.beta=true\n");
    const kept = await f.conifer.releases.promote(alice, {
      from: S,
      to: P,
      keys: ["jdbc.properties"],
      keepTargetOverrides: true,
    });
    expect(kept.items[0]?.content).toBe(`${files["jdbc.properties"]?.[1]}feature.beta=true\n`);
  });

  it("follows the target's policy: direct publishes after submit, review waits for an approval", async () => {
    const direct = await f.conifer.releases.promote(alice, { from: S, to: P, keys: ["db.yaml"] });
    expect((await f.conifer.releases.changes.submit(alice, direct.id)).status).toBe("approved");
    await f.conifer.releases.publish(bob, direct.id);
    expect(await live(`${P}/db.yaml`)).toBe(files["db.yaml"]?.[0]);

    await f.conifer.releases.policies.set(admin, { prefix: P, mode: "review" });
    const reviewed = await f.conifer.releases.promote(alice, {
      from: S,
      to: P,
      fields: [{ key: "jdbc.properties", paths: [["db.url"]] }],
    });
    expect((await f.conifer.releases.changes.submit(alice, reviewed.id)).status).toBe("in_review");
    await f.conifer.releases.changes.review(bob, reviewed.id, { verdict: "approve" });
    await f.conifer.releases.publish(bob, reviewed.id);
    expect(await live(`${P}/jdbc.properties`)).toBe("# production\ndb.pool.max = 10\ndb.url=jdbc:pg://staging\n");
    await f.conifer.releases.policies.remove(admin, P);
  });

  it("a target that moved after the promote conflicts at publish: nothing is overwritten", async () => {
    const c = await f.conifer.releases.promote(alice, { from: S, to: P, keys: ["cache.toml"] });
    await f.conifer.releases.changes.submit(alice, c.id);
    const { stat } = await f.other.getData(`${P}/cache.toml`);
    await f.other.setData(`${P}/cache.toml`, Buffer.from("ttl = 1\n"), stat.version);
    expect(await failure(f.conifer.releases.publish(bob, c.id))).toMatchObject({ code: "CONFLICT" });
    expect(await live(`${P}/cache.toml`)).toBe("ttl = 1\n");
  });

  it("refuses: no read on the source, no propose on the target, bad selections, malformed content", async () => {
    const prodOnly = user("pat", [[P, "editor"]]);
    const stagingViewer = user("sam", [
      [S, "editor"],
      [P, "viewer"],
    ]);
    expect(await failure(f.conifer.releases.promote(prodOnly, { from: S, to: P, keys: ["app.json"] }))).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(
      await failure(f.conifer.releases.promote(stagingViewer, { from: S, to: P, keys: ["app.json"] })),
    ).toMatchObject({ code: "FORBIDDEN" });
    const bad = (req: Omit<Parameters<typeof f.conifer.releases.promote>[1], "from" | "to">) =>
      failure(f.conifer.releases.promote(alice, { from: S, to: P, ...req }));
    expect(await bad({})).toMatchObject({ code: "INVALID_INPUT" });
    expect(await bad({ keys: ["app.json"], fields: [{ key: "app.json", paths: [["pool"]] }] })).toMatchObject({
      code: "INVALID_INPUT",
    });
    expect(await bad({ keys: ["../other/x.json"] })).toMatchObject({ code: "INVALID_PATH" });
    expect(await bad({ keys: ["missing.json"] })).toMatchObject({ code: "NOT_FOUND" });
    expect(await bad({ fields: [{ key: "new.txt", paths: [["a"]] }] })).toMatchObject({ code: "NOT_FOUND" });
    expect(await failure(f.conifer.releases.promote(alice, { from: S, to: `${S}/sub`, keys: ["a"] }))).toMatchObject({
      code: "INVALID_INPUT",
    });
    await f.conifer.config.create(admin.actor, { path: `${S}/broken.yaml`, content: "a: 1\n" });
    await f.conifer.config.create(admin.actor, { path: `${P}/broken.yaml`, content: "b: 2\n" });
    await f.other.setData(`${S}/broken.yaml`, Buffer.from("a: [1,\n"), 0);
    expect(await bad({ fields: [{ key: "broken.yaml", paths: [["a"]] }] })).toMatchObject({
      code: "INVALID_CONTENT",
    });
    expect(await bad({ keys: ["broken.yaml"] })).toMatchObject({ code: "INVALID_CONTENT" });
  });
});
