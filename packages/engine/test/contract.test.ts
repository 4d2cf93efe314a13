/**
 * The backend-independent coordinator contract suite, run against the embedded engine on a
 * fresh temp data dir (fsync on, as in production).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import type { Session } from "@conifer/coordinator";
import { runContractSuite } from "@conifer/coordinator/contract";
import { Engine } from "../src/index.ts";

const TICK_MS = 100;
const opened: { engine: Engine; dir: string }[] = [];

async function openFresh(): Promise<{ engine: Engine; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), "conifer-engine-contract-"));
  const engine = await Engine.open({ dataDir: dir, tickMs: TICK_MS, containerCheckIntervalMs: 100 });
  const entry = { engine, dir };
  opened.push(entry);
  return entry;
}

let shared: Promise<{ engine: Engine; dir: string }> | undefined;

afterAll(async () => {
  for (const { engine, dir } of opened.splice(0)) {
    await engine.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
});

runContractSuite("embedded engine", {
  backend: async () => (await (shared ??= openFresh())).engine,
  freshBackend: async () => {
    const { engine, dir } = await openFresh();
    return {
      backend: engine,
      dispose: async () => {
        await engine.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  expireSession: async (session: Session) => {
    const { engine } = await (shared ??= openFresh());
    engine.pauseHeartbeats(session);
    void engine.expireSession(session);
  },
  capabilities: { ttl: true, tickMs: TICK_MS, shortSessionTimeoutMs: 2 * TICK_MS },
});
