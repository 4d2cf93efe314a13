/**
 * Smoke suite: the server with its history in a real PostgreSQL (a throwaway server started by
 * @conifer/history/testing): publish, conflict, external change, restart.
 */
import { startPostgres, type PostgresFixture } from "@conifer/history/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { client, failure, start, tempDir, waitFor } from "./helpers.ts";

let pg: PostgresFixture;
let databaseUrl: string;
let dir: string;
let cleanup: () => Promise<void>;
let server: RunningServer;

beforeAll(async () => {
  pg = await startPostgres();
  databaseUrl = await pg.createDatabase("conifer_server_smoke");
  const t = await tempDir();
  dir = t.dir;
  cleanup = t.cleanup;
  server = await start(dir, { databaseUrl });
});

afterAll(async () => {
  // unset when beforeAll failed before starting them
  const started = { server, pg, cleanup } as Partial<{
    server: RunningServer;
    pg: PostgresFixture;
    cleanup: () => Promise<void>;
  }>;
  await started.server?.close();
  await started.pg?.stop();
  await started.cleanup?.();
});

describe("server on PostgreSQL", () => {
  it("publishes, conflicts, records external changes and survives a restart", async () => {
    expect(server.history.provider).toBe("postgresql");
    const api = client(server, "pat");
    await api.config.create.mutate({ path: "/pg/app.json", content: '{"a":1}', message: "first" });
    await api.config.update.mutate({ path: "/pg/app.json", content: '{"a":2}', expectedVersion: 0 });
    expect(
      (await failure(api.config.update.mutate({ path: "/pg/app.json", content: '{"a":3}', expectedVersion: 0 }))).code,
    ).toBe("CONFLICT");

    const other = await server.backend.connect();
    await other.setData("/pg/app.json", Buffer.from('{"a":9}'), 1);
    await other.close();
    await waitFor(
      async () => (await api.history.list.query({ path: "/pg/app.json" })).items[0]?.source === "external",
      "external row",
    );

    await server.close();
    server = await start(dir, { databaseUrl });
    const again = client(server);
    const items = (await again.history.list.query({ path: "/pg/app.json" })).items;
    expect(items.map((i) => [i.version, i.source, i.author])).toEqual([
      [2, "external", "external"],
      [1, "console", "pat"],
      [0, "console", "pat"],
    ]);
    const audit = await again.audit.list.query({ path: "/pg" });
    expect(audit.items.map((i) => i.action).sort()).toEqual(["config.create", "config.update"]);
  });
});
