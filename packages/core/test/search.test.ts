/** Tree search over a real engine: path and content modes, limits, the node budget, system subtrees. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine } from "@conifer/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BackendLink } from "../src/backend-link.ts";
import { silentLogger } from "../src/logger.ts";
import { searchTree } from "../src/search.ts";

let dir: string;
let engine: Engine;
let link: BackendLink;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "conifer-search-"));
  engine = await Engine.open({ dataDir: dir, fsync: false });
  link = new BackendLink(engine, silentLogger);
  const s = await link.open();
  await s.create("/conifer", Buffer.from("needle in the system tree"));
  await s.create("/apps", Buffer.alloc(0));
  for (let i = 0; i < 30; i++)
    await s.create(`/apps/svc-${String(i).padStart(2, "0")}.yaml`, Buffer.from(`name: svc-${i}\nport: ${8000 + i}\n`));
  await s.create("/apps/bin", Buffer.from([0xff, 0xfe, 0x00, 0x6e]));
});

afterAll(async () => {
  // unset when beforeAll failed before opening them
  const opened = { link, engine } as Partial<{ link: BackendLink; engine: Engine }>;
  await opened.link?.close();
  await opened.engine?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("searchTree", () => {
  it("finds by path, case-insensitively, in breadth-first order", async () => {
    const r = await searchTree(link, { query: "SVC-1", mode: "path" });
    expect(r.matches.map((m) => m.path)).toEqual(Array.from({ length: 10 }, (_, i) => `/apps/svc-1${i}.yaml`));
    expect(r.truncated).toBe(false);
  });

  it("finds by content with the matching line and its number; skips binary data and system subtrees", async () => {
    const r = await searchTree(link, { query: "port: 8029", mode: "content" });
    expect(r.matches).toEqual([{ path: "/apps/svc-29.yaml", snippet: "port: 8029", line: 2 }]);
    expect((await searchTree(link, { query: "needle", mode: "content" })).matches).toEqual([]);
    expect(
      (await searchTree(link, { query: "needle", mode: "content", under: "/conifer" })).matches.map((m) => m.path),
    ).toEqual(["/conifer"]);
  });

  it("stops at the limit and at the node budget, saying the result is truncated", async () => {
    const limited = await searchTree(link, { query: "svc", mode: "path", limit: 5 });
    expect(limited.matches).toHaveLength(5);
    expect(limited.truncated).toBe(true);
    const budget = await searchTree(link, { query: "svc", mode: "path", limit: 500 }, 10);
    expect(budget.truncated).toBe(true);
    expect(budget.matches.length).toBeLessThan(10);
  });
});
