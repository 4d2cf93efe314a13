/**
 * The backend-independent coordinator contract suite, run against the embedded engine on fresh
 * temp data dirs (fsync on, as in production): once as configured by default, once with
 * extended types (TTL nodes) off, which is what a default ZooKeeper server does.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import type { Session } from "@conifer/coordinator";
import { runContractSuite } from "@conifer/coordinator/contract";
import type { ContractHarness } from "@conifer/coordinator/contract";
import { Engine } from "../src/index.ts";
import { expireSession, pauseHeartbeats } from "../src/testing/index.ts";

const TICK_MS = 100;
const opened: { engine: Engine; dir: string }[] = [];

afterAll(async () => {
  for (const { engine, dir } of opened.splice(0)) {
    await engine.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
});

function harness(extendedTypesEnabled: boolean): ContractHarness {
  const openFresh = async () => {
    const dir = await mkdtemp(join(tmpdir(), "conifer-engine-contract-"));
    const engine = await Engine.open({
      dataDir: dir,
      tickMs: TICK_MS,
      containerCheckIntervalMs: 100,
      extendedTypesEnabled,
    });
    const entry = { engine, dir };
    opened.push(entry);
    return entry;
  };
  let shared: Promise<{ engine: Engine; dir: string }> | undefined;
  return {
    backend: async () => (await (shared ??= openFresh())).engine,
    freshBackend: async () => {
      const { engine } = await openFresh();
      return { backend: engine, dispose: () => engine.close() };
    },
    expireSession: async (session: Session) => {
      const { engine } = await (shared ??= openFresh());
      pauseHeartbeats(engine, session);
      void expireSession(engine, session);
    },
    capabilities: { ttl: extendedTypesEnabled, tickMs: TICK_MS, shortSessionTimeoutMs: 2 * TICK_MS },
  };
}

runContractSuite("embedded engine", harness(true));
runContractSuite("embedded engine, TTL off", harness(false));
