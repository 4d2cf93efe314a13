/**
 * A disposable embedded engine with its ZooKeeper wire server on a free loopback port, for this
 * package's integration suites.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine } from "@conifer/engine";
import type { EngineOptions } from "@conifer/engine";
import { ZkServer } from "../src/index.ts";
import type { ZkServerOptions } from "../src/index.ts";

export interface WireFixture {
  engine: Engine;
  server: ZkServer;
  connectString: string;
  dir: string;
  stop(): Promise<void>;
}

export async function startWire(
  engineOptions: Partial<EngineOptions> = {},
  serverOptions: Partial<Omit<ZkServerOptions, "engine">> = {},
): Promise<WireFixture> {
  const dir = await mkdtemp(join(tmpdir(), "conifer-zk-server-"));
  const engine = await Engine.open({ dataDir: dir, ...engineOptions });
  const server = await ZkServer.start({ engine, port: 0, fourLetterWords: "*", ...serverOptions });
  return {
    engine,
    server,
    dir,
    connectString: `127.0.0.1:${server.port}`,
    async stop() {
      await server.close();
      await engine.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
