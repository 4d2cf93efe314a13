/**
 * The cluster screen's ZooKeeper part (issue 15 item 6): `cluster.zookeeper` reports the client
 * port, each live wire session as `cons` shows it, and the `mntr` figures; "off" when no port
 * is open. The session is opened for real with the repo's wire client.
 */
import { createZooKeeperBackend } from "@conifer/zookeeper";
import { freePort } from "@conifer/zookeeper/testing";
import { afterEach, describe, expect, it } from "vitest";
import { client, start, tempDir, waitFor } from "./helpers.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

async function server(extra: { zkPort?: number }) {
  const t = await tempDir();
  cleanups.push(t.cleanup);
  const s = await start(t.dir, extra);
  cleanups.push(() => s.close());
  return s;
}

describe("cluster.zookeeper", () => {
  it("lists a live wire session with its id, timeout, counters, last op and zxid, and the mntr figures", async () => {
    const zkPort = await freePort();
    const s = await server({ zkPort });
    const wire = createZooKeeperBackend({ connectString: `127.0.0.1:${zkPort}`, sessionTimeoutMs: 10_000 });
    cleanups.push(() => wire.close());
    const session = await wire.connect();
    await session.create("/seen-by-console", Buffer.from("x"));
    const sid = `0x${session.sessionId.toString(16)}`;

    const api = client(s);
    const info = await waitFor(async () => {
      const r = await api.cluster.zookeeper.query();
      return r.open && r.sessions.some((x) => x.sessionId === sid) ? r : null;
    }, "the wire session in cluster.zookeeper");
    expect(info.port).toBe(zkPort);
    expect(info.host).toBe("127.0.0.1");
    const row = info.sessions.find((x) => x.sessionId === sid)!;
    // the client pings every third of its timeout: on a loaded machine a ping can follow the
    // create before this query is answered, and cons then shows it as the last operation
    expect(["CREA", "PING"]).toContain(row.lastOp);
    expect(row.remote).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(row.timeoutMs).toBe(10_000);
    expect(row.received).toBeGreaterThanOrEqual(1);
    expect(row.sent).toBeGreaterThanOrEqual(1);
    expect(row.queued).toBeGreaterThanOrEqual(0);
    expect(row.lastZxid).toMatch(/^0x[0-9a-f]+$/);
    expect(BigInt(row.lastZxid)).toBeGreaterThan(0n);
    const mntr = new Map(info.mntr.map((m) => [m.key, m.value]));
    expect(mntr.get("zk_server_state")).toBe("standalone");
    expect(mntr.get("zk_num_alive_connections")).toBeGreaterThanOrEqual(1);
    expect(mntr.get("zk_znode_count")).toBeGreaterThan(0);

    // the session leaves the list once its connection closes
    await wire.close();
    await waitFor(async () => {
      const r = await api.cluster.zookeeper.query();
      return r.open && !r.sessions.some((x) => x.sessionId === sid);
    }, "the closed session gone from cluster.zookeeper");
  });

  it("says the port is off when the server opened none", async () => {
    const s = await server({});
    expect(await client(s).cluster.zookeeper.query()).toEqual({ open: false });
  });
});
