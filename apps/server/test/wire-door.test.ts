/**
 * The ZooKeeper client port of an embedded install: a change made with Apache ZooKeeper's own
 * zkCli.sh reaches an SDK live and is recorded in history as external; Conifer's /conifer
 * bookkeeping is read-only to an anonymous wire client (the server generated its digest
 * identity, kept in the data dir); a taken port is fatal only when it was set explicitly.
 */
import { readFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { CoordinatorError } from "@conifer/coordinator";
import { createZooKeeperBackend } from "@conifer/zookeeper";
import { freePort, runZkCli, zkCliInstalled } from "@conifer/zookeeper/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startServer } from "../src/index.ts";
import { DIGEST_FILE } from "../src/wire-door.ts";
import { client, start, tempDir, waitFor } from "./helpers.ts";
import { recorder } from "@conifer/sdk/testing";
import { sdkClients } from "./sdk-fixtures.ts";

const cleanups: (() => Promise<void>)[] = [];
const clients = sdkClients();
afterEach(async () => {
  await clients.closeAll();
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

function zkCli(server: string, commands: string): Promise<string> {
  return runZkCli(server, `${commands}\nquit\n`);
}

async function withWire() {
  const t = await tempDir();
  cleanups.push(t.cleanup);
  const zkPort = await freePort();
  const server = await start(t.dir, { zkPort });
  cleanups.push(() => server.close());
  return { dir: t.dir, server, zkPort };
}

describe("the ZooKeeper client port (CONIFER_ZK_PORT)", () => {
  it.skipIf(!zkCliInstalled())(
    "a zkCli.sh change reaches an SDK live and is recorded as external",
    async () => {
      const { dir, server, zkPort } = await withWire();
      // Conifer's nodes are the server's: an operator uses its digest, kept in the data dir
      const digest = readFileSync(join(dir, DIGEST_FILE), "utf8").trim();
      const api = client(server);
      await api.config.create.mutate({ path: "/wire/flag.json", content: '{"on":false}' });
      const c = clients.make({ url: server.url });
      expect(await c.get("/wire/flag.json")).toEqual({ on: false });
      const rec = recorder();
      c.watch("/wire/flag.json", rec.cb);
      const out = await zkCli(
        `127.0.0.1:${zkPort}`,
        `addauth digest ${digest}\nset /wire/flag.json {"on":true}\nget /wire/flag.json`,
      );
      expect(out).toContain('{"on":true}');
      await waitFor(() => rec.calls.length >= 1, "the SDK got the zkCli change");
      expect(rec.calls.at(-1)!.value).toEqual({ on: true });
      const row = await waitFor(
        async () => (await api.history.list.query({ path: "/wire/flag.json" })).items.find((i) => i.version === 1),
        "history row of the zkCli change",
      );
      expect(row).toMatchObject({ op: "update", source: "external" });
    },
    120_000,
  );

  it("an anonymous wire client reads /conifer but cannot change it; the digest is kept in the data dir", async () => {
    const { dir, server, zkPort } = await withWire();
    const digest = readFileSync(join(dir, DIGEST_FILE), "utf8").trim();
    expect(digest).toMatch(/^conifer:.{16,}$/);
    const anon = createZooKeeperBackend({ connectString: `127.0.0.1:${zkPort}`, sessionTimeoutMs: 10_000 });
    cleanups.push(() => anon.close());
    const s = await anon.connect();
    const { children } = await s.getChildren("/conifer");
    expect(children.length).toBeGreaterThan(0);
    const target = `/conifer/${children[0]!}`;
    const err = await s.setData(target, Buffer.from("x")).catch((e: unknown) => e);
    expect(CoordinatorError.is(err, "NO_AUTH")).toBe(true);
    const del = await s.create("/conifer/intruder", Buffer.from("x")).catch((e: unknown) => e);
    expect(CoordinatorError.is(del, "NO_AUTH")).toBe(true);
    // the same identity after a restart: the nodes it created stay writable by the server
    await server.close();
    const again = await start(dir, { zkPort: await freePort() });
    cleanups.push(() => again.close());
    expect(readFileSync(join(dir, DIGEST_FILE), "utf8").trim()).toBe(digest);
    await client(again).config.create.mutate({ path: "/after-restart.txt", content: "ok" });
  });

  it("a taken port: explicit refuses to start naming CONIFER_ZK_PORT; the default warns once and starts", async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) =>
      blocker.listen(0, "127.0.0.1", () => {
        r();
      }),
    );
    cleanups.push(
      () =>
        new Promise((r) =>
          blocker.close(() => {
            r();
          }),
        ),
    );
    const taken = (blocker.address() as net.AddressInfo).port;

    const t1 = await tempDir();
    cleanups.push(t1.cleanup);
    await expect(
      startServer({ port: 0, dataDir: t1.dir, serveConsole: false, zkPort: taken, zkPortExplicit: true }),
    ).rejects.toThrow(/CONIFER_ZK_PORT/);

    const t2 = await tempDir();
    cleanups.push(t2.cleanup);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    cleanups.push(() => {
      warn.mockRestore();
      return Promise.resolve();
    });
    const s = await startServer({
      port: 0,
      dataDir: t2.dir,
      serveConsole: false,
      zkPort: taken,
      zkPortExplicit: false,
    });
    cleanups.push(() => s.close());
    expect(s.zk).toBeUndefined();
    const lines = warn.mock.calls.map((c) => String(c[0])).filter((l) => l.includes("ZooKeeper port"));
    expect(lines).toHaveLength(1);
    expect((await fetch(`${s.url}/healthz`)).ok).toBe(true);
  });
});
