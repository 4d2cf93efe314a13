/**
 * Publishes new content to the example's config path through the server's tRPC API, the way
 * the console does: create the node if it is missing, else update it at its current version.
 *   CONIFER_TOKEN=<read-write API token> npx tsx examples/live-config/src/publish.ts '{"greeting":"hi","color":"green"}'
 */
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import type { AppRouter } from "@conifer/api";
import { readEnv } from "./env.ts";

async function main(): Promise<void> {
  const env = readEnv();
  const content = process.argv[2];
  if (content === undefined) throw new Error("usage: publish.ts '<content>'");
  const api = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${env.url}/trpc`,
        headers: { "x-conifer-source": "api", ...(env.token ? { authorization: `Bearer ${env.token}` } : {}) },
      }),
    ],
  });
  let version: number | undefined;
  try {
    version = (await api.config.get.query({ path: env.path })).stat.version;
  } catch (err) {
    const code =
      err instanceof TRPCClientError
        ? (err.data as { conifer?: { code?: string } } | undefined)?.conifer?.code
        : undefined;
    if (code !== "NOT_FOUND") throw err;
  }
  if (version === undefined) {
    const res = await api.config.create.mutate({
      path: env.path,
      content,
      mode: "persistent",
      message: "created by the live-config example",
    });
    console.log(`created ${res.path} (version ${res.stat.version})`);
  } else {
    const res = await api.config.update.mutate({
      path: env.path,
      content,
      expectedVersion: version,
      message: "published by the live-config example",
    });
    console.log(`updated ${env.path} to version ${res.stat.version}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
