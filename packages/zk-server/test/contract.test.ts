/**
 * The Coordinator contract suite, a third time: the repo's own ZooKeeper wire client
 * (@conifer/zookeeper) against the embedded engine behind @conifer/zk-server. Whatever differs
 * from the in-process run and the real-ensemble run is a bug of the wire door.
 */
import type { Backend, Session } from "@conifer/coordinator";
import { runContractSuite } from "@conifer/coordinator/contract";
import { ZooKeeperSession, createZooKeeperBackend } from "@conifer/zookeeper";
import { partition } from "@conifer/zookeeper/testing";
import { afterAll, vi } from "vitest";
import { startWire } from "./fixture.ts";
import type { WireFixture } from "./fixture.ts";

const TICK_MS = 100;
const started: WireFixture[] = [];
const backends: Backend[] = [];

afterAll(async () => {
  for (const b of backends.splice(0)) await b.close().catch(() => {});
  for (const f of started.splice(0)) await f.stop().catch(() => {});
});

async function open(): Promise<{ fixture: WireFixture; backend: Backend }> {
  const fixture = await startWire({ tickMs: TICK_MS, containerCheckIntervalMs: 100 });
  started.push(fixture);
  const backend = createZooKeeperBackend({ connectString: fixture.connectString, sessionTimeoutMs: 10_000 });
  backends.push(backend);
  return { fixture, backend };
}

let shared: Promise<{ fixture: WireFixture; backend: Backend }> | undefined;

runContractSuite("embedded engine over the ZooKeeper wire", {
  backend: async () => (await (shared ??= open())).backend,
  async freshBackend() {
    const { fixture, backend } = await open();
    return {
      backend,
      async dispose() {
        await backend.close();
        await fixture.stop();
      },
    };
  },
  async expireSession(session: Session) {
    if (!(session instanceof ZooKeeperSession)) throw new Error("not a ZooKeeper session");
    const { fixture } = await (shared ??= open());
    partition(session, true);
    await vi.waitFor(
      () => {
        if (fixture.server.hasSession(session.sessionId)) throw new Error("the session is still alive");
      },
      { timeout: 60_000, interval: 25 },
    );
    partition(session, false);
  },
  capabilities: { ttl: true, tickMs: TICK_MS, shortSessionTimeoutMs: 2 * TICK_MS },
});
