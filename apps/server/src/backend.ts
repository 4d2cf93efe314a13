/**
 * Opens the coordination backend named by the backend URL: "embedded:" runs the engine in this
 * process with its state under <dataDir>/engine; "zookeeper://..." connects to an ensemble
 * (creating the chroot when it does not exist yet).
 */
import { join } from "node:path";
import type { Backend } from "@conifer/coordinator";
import { Engine } from "@conifer/engine";
import { parseBackendUrl } from "@conifer/shared";
import { createZooKeeperBackend, ensureChroot } from "@conifer/zookeeper";

/** Opens the backend; a URL of neither form is BAD_ARGUMENTS naming the accepted forms. */
export async function openBackend(backendUrl: string, dataDir: string, sessionTimeoutMs: number): Promise<Backend> {
  if (parseBackendUrl(backendUrl).kind === "embedded") {
    return Engine.open({ dataDir: join(dataDir, "engine") });
  }
  // a fresh ensemble has no chroot node yet; every chrooted request would fail with NO_NODE
  await ensureChroot(backendUrl, { sessionTimeoutMs });
  return createZooKeeperBackend({ connectString: backendUrl, sessionTimeoutMs });
}
