/**
 * Opens the coordination backend named by the backend URL: "embedded:" runs the engine in this
 * process with its state under <dataDir>/engine; "zookeeper://..." connects to an ensemble
 * (creating the chroot when it does not exist yet).
 */
import { join } from "node:path";
import type { Backend } from "@conifer/coordinator";
import { Engine } from "@conifer/engine";
import { createZooKeeperBackend, ensureChroot } from "@conifer/zookeeper";

export async function openBackend(backendUrl: string, dataDir: string, sessionTimeoutMs: number): Promise<Backend> {
  if (backendUrl === "embedded:" || backendUrl === "embedded") {
    return Engine.open({ dataDir: join(dataDir, "engine") });
  }
  if (backendUrl.startsWith("zookeeper://")) {
    // a fresh ensemble has no chroot node yet; every chrooted request would fail with NO_NODE
    await ensureChroot(backendUrl, { sessionTimeoutMs });
    return createZooKeeperBackend({ connectString: backendUrl, sessionTimeoutMs });
  }
  throw new Error(
    `Unsupported backend URL ${JSON.stringify(backendUrl)}: use "embedded:" or zookeeper://host:2181[,host:2181...][/chroot]`,
  );
}

/** The URL without credentials, for logs. */
export function describeBackendUrl(backendUrl: string): string {
  return backendUrl.replace(/\/\/[^@/]*@/, "//***@");
}
