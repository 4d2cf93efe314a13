/**
 * Example application: prints a config value at start and prints it again, live, every time
 * someone publishes a new version, without a restart. Run it against a Conifer server:
 *   CONIFER_URL=http://localhost:3000 CONFIG_PATH=/demo/app.json npx tsx examples/live-config/src/main.ts
 */
import { createClient, isSdkError } from "@conifer/sdk";
import { readEnv } from "./env.ts";

const show = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

async function main(): Promise<void> {
  const env = readEnv();
  const conifer = createClient({
    url: env.url,
    app: "live-config-example",
    cacheDir: env.cacheDir,
    ...(env.token ? { token: env.token } : {}),
  });
  // print connection changes, not every retry ("connecting" repeats while the server is away)
  let lastState = "";
  conifer.on("state", (state) => {
    if (state === "connecting" || state === lastState) return;
    lastState = state;
    console.log(`[conifer] ${state}`);
  });
  conifer.on("error", (err) => console.error(`[conifer] kept the previous value: ${err.message}`));

  try {
    const value = await conifer.get(env.path);
    const source = conifer.getSnapshot(env.path)?.meta.source;
    console.log(`value: ${show(value)}${source === "cache" ? " (from the local cache: server unreachable)" : ""}`);
  } catch (err) {
    if (!isSdkError(err)) throw err;
    if (err.code === "NOT_FOUND") console.log(`${env.path} does not exist yet; waiting for it to be created`);
    else console.log(`${err.message}; waiting for the server`);
  }

  conifer.watch(env.path, (value, meta) => {
    if (meta.exists) console.log(`reloaded: ${show(value)} (version ${meta.version})`);
    else console.log(`deleted: ${env.path}`);
  });

  const stop = () => {
    void conifer.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
