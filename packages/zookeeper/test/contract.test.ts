/**
 * Runs the Coordinator contract suite against a real 3-node Apache ZooKeeper 3.8 ensemble
 * (Debian's package) through this adapter: ZooKeeper is the judge of every case.
 */
import type { Backend, Session } from "@conifer/coordinator";
import { runContractSuite } from "@conifer/coordinator/contract";
import { afterAll, beforeAll } from "vitest";
import { createZooKeeperBackend, ZooKeeperSession } from "../src/index.ts";
import { partition, startEnsemble, type Ensemble } from "../src/testing/index.ts";
import { waitUntilSessionGone } from "./support.ts";

let ensemble: Ensemble;
let backend: Backend;
/** started beside the main ensemble so the pristine-root case does not wait for a JVM */
let spare: Promise<Ensemble> | undefined;
const others: Ensemble[] = [];

beforeAll(async () => {
  spare = startEnsemble({ size: 1, tickTimeMs: 500 });
  ensemble = await startEnsemble({ size: 3, tickTimeMs: 500 });
  backend = createZooKeeperBackend({ connectString: ensemble.connectString, sessionTimeoutMs: 10_000 });
  others.push(await spare);
}, 300_000);

afterAll(async () => {
  // beforeAll may have failed before setting them
  const started: Partial<{ backend: Backend; ensemble: Ensemble }> = { backend, ensemble };
  await started.backend?.close();
  await started.ensemble?.stop();
  await Promise.all(others.map((e) => e.stop()));
});

runContractSuite("Apache ZooKeeper 3-node ensemble", {
  backend: () => Promise.resolve(backend),
  async freshBackend() {
    const taken = spare;
    spare = undefined;
    const fresh = taken ? await taken : await startEnsemble({ size: 1, tickTimeMs: 500 });
    if (!taken) others.push(fresh);
    const b = createZooKeeperBackend({ connectString: fresh.connectString, sessionTimeoutMs: 10_000 });
    return {
      backend: b,
      async dispose() {
        await b.close();
        await fresh.stop();
      },
    };
  },
  async expireSession(session: Session) {
    if (!(session instanceof ZooKeeperSession)) throw new Error("not a ZooKeeper session");
    partition(session, true);
    await waitUntilSessionGone(ensemble, session.sessionId);
    partition(session, false);
  },
  capabilities: { ttl: true, tickMs: 500, shortSessionTimeoutMs: 2000 },
});
