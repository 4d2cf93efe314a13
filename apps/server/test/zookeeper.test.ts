/**
 * Smoke suite against a real Apache ZooKeeper (Debian's, via @conifer/zookeeper/testing): two
 * Conifer servers side by side on one ensemble and one history database. A write through one
 * server is recorded once (never as "external" by the other), is pushed to an SDK socket on
 * the other, and instances registered on either server are listed by both.
 */
import { join } from "node:path";
import type { ChangeNotice, ClientToServerEvents, ServerToClientEvents } from "@conifer/protocol";
import { CoordinatorError, Perms } from "@conifer/coordinator";
import { createZooKeeperBackend } from "@conifer/zookeeper";
import { startEnsemble, zookeeperInstalled, type Ensemble } from "@conifer/zookeeper/testing";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { client, start, tempDir, waitFor } from "./helpers.ts";
import { apiToken } from "./auth.ts";

describe.skipIf(!zookeeperInstalled())("two servers on one ZooKeeper ensemble", () => {
  let zk: Ensemble;
  let a: RunningServer;
  let b: RunningServer;
  let cleanup: () => Promise<void>;
  let sdk: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;

  beforeAll(async () => {
    zk = await startEnsemble({ size: 1, tickTimeMs: 500 });
    const t = await tempDir();
    cleanup = t.cleanup;
    const shared = { backendUrl: `zookeeper://${zk.connectString}`, databaseUrl: `file:${join(t.dir, "history.db")}` };
    a = await start(join(t.dir, "a"), shared);
    b = await start(join(t.dir, "b"), shared);
  }, 300_000);

  afterAll(async () => {
    sdk?.disconnect();
    // unset when beforeAll failed before starting them
    const started = { a, b, zk, cleanup } as Partial<{
      a: RunningServer;
      b: RunningServer;
      zk: Ensemble;
      cleanup: () => Promise<void>;
    }>;
    await started.a?.close();
    await started.b?.close();
    await started.zk?.stop();
    await started.cleanup?.();
  });

  it("publishes through A, notifies an SDK on B, records history once, lists instances of both", async () => {
    expect((await client(a).cluster.info.query()).kind).toBe("zookeeper");
    const { token } = await apiToken(b.url, ["/"], "read");
    sdk = connect(b.url, { path: "/socket.io", transports: ["websocket"], forceNew: true, auth: { token } });
    const notices: ChangeNotice[] = [];
    sdk.on("changed", (n) => notices.push(n));
    await new Promise<void>((resolve, reject) => {
      sdk!.emit("hello", { app: "orders", host: "h", pid: 1, instanceId: "zk-instance-1" }, (res) =>
        res.ok ? resolve() : reject(new Error(res.error.message)),
      );
    });
    await new Promise<void>((resolve) => sdk!.emit("subscribe", { paths: ["/zk/app.json"] }, () => resolve()));

    const api = client(a, "erin");
    const created = await api.config.create.mutate({ path: "/zk/app.json", content: '{"on":true}', message: "via A" });
    await waitFor(() => notices.find((n) => n.mzxid === created.stat.mzxid), "notice on B for A's write");

    // B's feed saw the change too; it must attribute it to A's write, never to "external"
    await b.conifer.drain();
    const items = (await client(b).history.list.query({ path: "/zk/app.json" })).items;
    expect(items.map((i) => [i.op, i.author, i.source])).toEqual([["create", "erin", "console"]]);

    const fromA = await waitFor(
      async () => (await api.instances.list.query({})).instances.find((i) => i.instanceId === "zk-instance-1"),
      "instance of B listed by A",
    );
    expect(fromA.app).toBe("orders");
  });

  it("records a change made by another ZooKeeper client as external, once", async () => {
    const zkClient = await a.backend.connect();
    try {
      const { stat } = await zkClient.create("/zk/direct.txt", Buffer.from("by zkCli"));
      const row = await waitFor(
        async () => (await client(a).history.list.query({ path: "/zk/direct.txt" })).items[0],
        "external row",
      );
      expect(row).toMatchObject({ source: "external", op: "create", mzxid: stat.mzxid.toString() });
      await a.conifer.drain();
      await b.conifer.drain();
      expect((await client(b).history.list.query({ path: "/zk/direct.txt" })).items).toHaveLength(1);
    } finally {
      await zkClient.close();
    }
  });

  it("with digest credentials in the URL, the server's znodes are read-only for other ZooKeeper clients", async () => {
    const t = await tempDir("conifer-zk-acl-");
    const secured = await start(t.dir, { backendUrl: `zookeeper://conifer:zk-s3cret@${zk.connectString}/secured` });
    const outsider = createZooKeeperBackend({ connectString: `${zk.connectString}/secured` });
    const outside = await outsider.connect();
    try {
      await client(secured).config.create.mutate({ path: "/locked/app.json", content: '{"v":1}' });
      const { acl } = await outside.getACL("/locked/app.json");
      expect(acl).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ perms: Perms.ALL, id: expect.objectContaining({ scheme: "digest" }) as unknown }),
          { perms: Perms.READ, id: { scheme: "world", id: "anyone" } },
        ]),
      );
      expect((await outside.getData("/locked/app.json")).data.toString()).toBe('{"v":1}');
      const refused = async (p: Promise<unknown>) =>
        p.then(
          () => "OK",
          (e: unknown) => (e instanceof CoordinatorError ? e.code : String(e)),
        );
      expect(await refused(outside.setData("/locked/app.json", Buffer.from("hijacked")))).toBe("NO_AUTH");
      expect(await refused(outside.delete("/locked/app.json"))).toBe("NO_AUTH");
      expect(await refused(outside.setData("/conifer", Buffer.from("x")))).toBe("NO_AUTH");
    } finally {
      await outside.close();
      await outsider.close();
      await secured.close();
      await t.cleanup();
    }
  }, 120_000);
});
