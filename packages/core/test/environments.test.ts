/** Environment compare over a real engine: keys per side, field diffs per format, authz, limits. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine } from "@conifer/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "../src/auth/authz.ts";
import { BackendLink } from "../src/backend-link.ts";
import { compareEnvironments } from "../src/environments.ts";
import { ConfigError } from "../src/errors.ts";
import { silentLogger } from "../src/logger.ts";

let dir: string;
let engine: Engine;
let link: BackendLink;

const user = (grants: { pathPrefix: string; role: "viewer" | "editor" }[]): Principal => ({
  kind: "user",
  userId: 1,
  name: "dana",
  grants,
  sessionHash: "x",
  mustChangePassword: false,
});
const reader = user([{ pathPrefix: "/payments", role: "viewer" }]);

const tree: Record<string, string | Buffer> = {
  "/payments": "",
  "/payments/staging": "",
  "/payments/prod": "",
  "/payments/staging/limits.json": JSON.stringify({ daily: { max: 5000, currency: "EUR" }, tiers: [1, 2, 3] }),
  "/payments/prod/limits.json": JSON.stringify({ daily: { max: 1000, currency: "EUR" }, tiers: [1, 2] }),
  "/payments/staging/db": "",
  "/payments/prod/db": "",
  "/payments/staging/db/pool.yaml": "# staging\npool:\n  max: 50\n  min: 5\n",
  "/payments/prod/db/pool.yaml": "pool:\n  max: 10\n  min: 5\n  timeout: 30\n",
  "/payments/staging/app.toml": "[http]\nport = 8080\n",
  "/payments/prod/app.toml": "[http]\nport = 8080\n",
  "/payments/staging/jdbc.properties": "url=jdbc:pg://staging\nuser=app\n",
  "/payments/prod/jdbc.properties": "url=jdbc:pg://prod\nuser=app\n",
  "/payments/staging/style.yaml": "a: 1 # comment\n",
  "/payments/prod/style.yaml": "a: 1\n",
  "/payments/staging/motd.txt": "hello\nstaging\n",
  "/payments/prod/motd.txt": "hello\nprod\n",
  "/payments/staging/broken.json": '{"a": 1}',
  "/payments/prod/broken.json": '{"a": ',
  "/payments/staging/blob": Buffer.from([0xff, 0xfe, 0x01]),
  "/payments/prod/blob": Buffer.from([0xff, 0xfe, 0x02]),
  "/payments/staging/beta.json": "{}",
  "/payments/prod/legacy.properties": "old=1\n",
  "/payments/qa": "",
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "conifer-envcmp-"));
  engine = await Engine.open({ dataDir: dir, fsync: false });
  link = new BackendLink(engine, silentLogger);
  const s = await link.open();
  for (const [path, data] of Object.entries(tree))
    await s.create(path, typeof data === "string" ? Buffer.from(data) : data);
  for (let i = 0; i < 12; i++) await s.create(`/payments/qa/k${i}`, Buffer.from(`${i}`));
});

afterAll(async () => {
  const opened = { link, engine } as Partial<{ link: BackendLink; engine: Engine }>;
  await opened.link?.close();
  await opened.engine?.close();
  await rm(dir, { recursive: true, force: true });
});

async function refusal(p: Promise<unknown>): Promise<ConfigError> {
  const err = await p.then(
    () => expect.unreachable("the compare should have been refused"),
    (e: unknown) => e,
  );
  if (!(err instanceof ConfigError)) throw err;
  return err;
}

describe("compareEnvironments", () => {
  it("sorts keys into one side only, equal, and differing, by relative path; folders are not keys", async () => {
    const r = await compareEnvironments(link, reader, "/payments/staging", "/payments/prod");
    expect(r.onlyLeft.map((k) => k.key)).toEqual(["beta.json"]);
    expect(r.onlyRight.map((k) => [k.key, k.format, k.side.path])).toEqual([
      ["legacy.properties", "properties", "/payments/prod/legacy.properties"],
    ]);
    expect(r.equal.map((k) => k.key)).toEqual(["app.toml"]);
    expect(r.differing.map((k) => k.key)).toEqual([
      "blob",
      "broken.json",
      "db/pool.yaml",
      "jdbc.properties",
      "limits.json",
      "motd.txt",
      "style.yaml",
    ]);
    const limits = r.differing.find((d) => d.key === "limits.json");
    expect(limits?.left).toMatchObject({ path: "/payments/staging/limits.json", version: 0 });
  });

  it("reports field diffs for structured formats, line diffs for text and malformed content", async () => {
    const r = await compareEnvironments(link, reader, "/payments/staging", "/payments/prod");
    const diff = (key: string) => r.differing.find((d) => d.key === key)?.diff;
    expect(diff("limits.json")).toMatchObject({
      kind: "fields",
      onlyLeft: [{ key: "tiers[2]", value: 3 }],
      onlyRight: [],
      differing: [{ key: "daily.max", left: 5000, right: 1000 }],
    });
    expect(diff("db/pool.yaml")).toMatchObject({
      kind: "fields",
      onlyRight: [{ key: "pool.timeout", value: 30 }],
      differing: [{ key: "pool.max", left: 50, right: 10 }],
    });
    expect(diff("jdbc.properties")).toMatchObject({
      kind: "fields",
      differing: [{ key: "url", left: "jdbc:pg://staging", right: "jdbc:pg://prod" }],
    });
    expect(diff("style.yaml")).toMatchObject({ kind: "fields", equal: true });
    expect(diff("motd.txt")).toMatchObject({ kind: "lines", reason: "text", lines: { added: 1, removed: 1 } });
    expect(diff("broken.json")).toMatchObject({ kind: "lines", reason: "malformed", errors: { right: { line: 1 } } });
    expect(diff("blob")).toBeNull();
  });

  it("needs read on both prefixes", async () => {
    const stagingOnly = user([{ pathPrefix: "/payments/staging", role: "editor" }]);
    const refused = await refusal(compareEnvironments(link, stagingOnly, "/payments/staging", "/payments/prod"));
    expect(refused).toMatchObject({ code: "FORBIDDEN", details: { action: "read", path: "/payments/prod" } });
    expect((await refusal(compareEnvironments(link, null, "/payments/staging", "/payments/prod"))).code).toBe(
      "UNAUTHENTICATED",
    );
    const token: Principal = {
      kind: "token",
      tokenId: 1,
      name: "ci",
      prefixes: ["/payments/staging", "/payments/prod"],
      access: "read",
    };
    expect((await compareEnvironments(link, token, "/payments/staging", "/payments/prod")).equal).toHaveLength(1);
  });

  it("refuses overlapping, missing and invalid prefixes with typed errors", async () => {
    expect((await refusal(compareEnvironments(link, reader, "/payments", "/payments/prod"))).code).toBe(
      "INVALID_INPUT",
    );
    expect((await refusal(compareEnvironments(link, reader, "/payments/prod", "/payments/prod"))).code).toBe(
      "INVALID_INPUT",
    );
    expect(await refusal(compareEnvironments(link, reader, "/payments/staging", "/payments/nope"))).toMatchObject({
      code: "NOT_FOUND",
      details: { path: "/payments/nope" },
    });
    expect((await refusal(compareEnvironments(link, reader, "/payments/staging/", "/payments/prod"))).code).toBe(
      "INVALID_PATH",
    );
  });

  it("stops at the node budget", async () => {
    const err = await refusal(compareEnvironments(link, reader, "/payments/qa", "/payments/prod", 10));
    expect(err).toMatchObject({ code: "TOO_LARGE", details: { limit: 10 } });
  });
});
