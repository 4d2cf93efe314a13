/**
 * Opens the coordination backend named by the backend URL: "embedded:" runs the engine in this
 * process with its state under <dataDir>/engine; "zookeeper://..." connects to an ensemble.
 */
import { join } from "node:path";
import type { Backend } from "@conifer/coordinator";
import { Engine } from "@conifer/engine";
import { createZooKeeperBackend } from "@conifer/zookeeper";

export async function openBackend(backendUrl: string, dataDir: string, sessionTimeoutMs: number): Promise<Backend> {
  if (backendUrl === "embedded:" || backendUrl === "embedded") {
    return Engine.open({ dataDir: join(dataDir, "engine") });
  }
  if (backendUrl.startsWith("zookeeper://")) {
    return createZooKeeperBackend({ connectString: backendUrl, sessionTimeoutMs });
  }
  throw new Error(`Unsupported backend URL ${JSON.stringify(backendUrl)}: use "embedded:" or zookeeper://host:2181[,host:2181...][/chroot]`);
}

/** The URL without credentials, for logs. */
export function describeBackendUrl(backendUrl: string): string {
  return backendUrl.replace(/\/\/[^@/]*@/, "//***@");
}
