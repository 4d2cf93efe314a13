/** The example's settings, read from the environment here and nowhere else. */
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ExampleEnv {
  /** Conifer server base URL */
  url: string;
  /** the config path this app follows */
  path: string;
  /** where the SDK keeps its local cache */
  cacheDir: string;
  /** API token (create one in the console: API tokens); read-only is enough for main.ts, publish.ts needs read-write */
  token: string | undefined;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): ExampleEnv {
  const path = env.CONFIG_PATH || "/demo/app.json";
  if (!path.startsWith("/")) throw new Error(`CONFIG_PATH must start with "/" (got ${JSON.stringify(path)})`);
  return {
    url: env.CONIFER_URL || "http://localhost:3000",
    path,
    cacheDir: env.CONIFER_CACHE_DIR || join(tmpdir(), "conifer-live-config-cache"),
    token: env.CONIFER_TOKEN || undefined,
  };
}
