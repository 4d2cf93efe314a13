/**
 * The backend-independent contract suite: `runContractSuite(name, harness)` registers vitest
 * cases that state ZooKeeper 3.8 behaviour through the Backend/Session interfaces only. Every
 * backend (the embedded engine, the ZooKeeper adapter) must pass all of them unchanged.
 * Also the fault-injecting Session wrapper (faulty-session.ts) for other packages' unit tests.
 */
import { describe } from "vitest";
import { aclCases } from "./acl.ts";
import { fidelityCases } from "./fidelity.ts";
import type { ContractHarness } from "./harness.ts";
import { multiCases } from "./multi.ts";
import { nodeCases } from "./nodes.ts";
import { persistentWatchCases } from "./persistent-watches.ts";
import { sequentialCases } from "./sequential.ts";
import { sessionCases } from "./sessions.ts";
import { statCases } from "./stat.ts";
import { watchAclCases } from "./watch-acl.ts";
import { watchCases } from "./watches.ts";
import { writeZxidCases } from "./write-zxid.ts";

export type { ContractHarness } from "./harness.ts";
export { digestId } from "./acl.ts";
export { FaultyBackend, FaultySession } from "./faulty-session.ts";
export type { Fault, FaultPlan, PlannedFault, SessionCall } from "./faulty-session.ts";

export function runContractSuite(name: string, harness: ContractHarness): void {
  describe(`coordinator contract: ${name}`, () => {
    nodeCases(harness);
    statCases(harness);
    sequentialCases(harness);
    watchCases(harness);
    persistentWatchCases(harness);
    multiCases(harness);
    aclCases(harness);
    sessionCases(harness);
    writeZxidCases(harness);
    watchAclCases(harness);
    fidelityCases(harness);
  });
}
