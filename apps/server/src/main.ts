/**
 * `npm start` entry: reads the environment, starts the server, says where it is, and shuts
 * down cleanly on SIGINT/SIGTERM (clients told, backend session closed, stores flushed).
 */
import { relative } from "node:path";
import { describeBackendUrl, parseBackendUrl } from "@conifer/shared";
import { configFromEnv, readEnv } from "./env.ts";
import { startServer } from "./index.ts";

async function main(): Promise<void> {
  const env = readEnv();
  // crash tests only: the test-only module is not even loaded otherwise
  if (env.CONIFER_TEST_PAUSE_AT) (await import("@conifer/core/testing")).pauseProcessAt(env.CONIFER_TEST_PAUSE_AT);
  const server = await startServer(configFromEnv(env));
  const { config } = server;
  const shownHost =
    config.host === "0.0.0.0" || config.host === "::" || config.host === "127.0.0.1" ? "localhost" : config.host;
  const dataDir = relative(process.cwd(), config.dataDir) || ".";
  const target = parseBackendUrl(config.backendUrl);
  const where =
    target.kind === "zookeeper"
      ? `ZooKeeper ${describeBackendUrl(target)}`
      : `embedded engine, data in ${dataDir.startsWith("..") || dataDir.startsWith("/") ? config.dataDir : `./${dataDir}`}`;
  console.log(`Conifer is running at http://${shownHost}:${server.port} (${where})`);
  console.log(
    `  history: ${server.history.provider === "sqlite" ? config.databaseUrl.replace(/^file:/, "SQLite ") : "PostgreSQL"}`,
  );
  console.log(
    `  API: http://${shownHost}:${server.port}/trpc   SDK gateway: ws://${shownHost}:${server.port}/socket.io   health: /healthz`,
  );
  if (server.zk) {
    console.log(`  ZooKeeper clients: zkCli.sh -server ${shownHost}:${server.zk.port}`);
  }
  if (server.initialAdmin) {
    // shown this once: only its scrypt hash is stored
    console.log("");
    console.log(
      `  First start: sign in at http://${shownHost}:${server.port}/login as "${server.initialAdmin.username}"`,
    );
    console.log(`  with the one-time password  ${server.initialAdmin.password}`);
    console.log("  (shown only now; you will be asked to change it. Set CONIFER_ADMIN_PASSWORD to choose it instead.)");
    console.log("");
  } else {
    console.log(
      `  Sign in at http://${shownHost}:${server.port}/login (SDKs and scripts: an API token from the console's API tokens screen)`,
    );
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      console.log("Forcing exit.");
      process.exit(1);
    }
    stopping = true;
    console.log(`\n${signal} received, shutting down…`);
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((err: unknown) => {
  console.error(`Conifer failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
