/** Shared helpers for the SDK integration tests: temp dirs and a protocol server per test. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import type { ClientPool } from "../src/testing/index.ts";
import { ProtocolServer } from "./protocol-server.ts";

export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `conifer-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Registers the hooks most suites here share: a fresh protocol server on a free port before each
 * test (handed to `use`), and after it the pool's clients closed, then the server stopped.
 */
export function serverPerTest(clients: ClientPool, use: (server: ProtocolServer) => void): void {
  let server: ProtocolServer | undefined;
  beforeEach(async () => {
    server = new ProtocolServer();
    await server.start(0);
    use(server);
  });
  afterEach(async () => {
    await clients.closeAll();
    await server?.stop();
  });
}
