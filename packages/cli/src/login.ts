/**
 * `conifer login`: the token (from --token, or asked for on the terminal), checked against the
 * server by listing "/" with it, then stored for later commands (credentials.ts).
 */
import { createInterface } from "node:readline/promises";
import type { Context } from "./context.ts";
import { saveCredentials } from "./credentials.ts";
import { CliError, EXIT } from "./errors.ts";
import { ApiClient } from "./client.ts";

export async function login(ctx: Context, token: string | undefined): Promise<void> {
  let t = token;
  if (!t) {
    if (!ctx.io.stdin.isTTY) throw new CliError("give --token (stdin is not a terminal to ask on)", EXIT.usage);
    const rl = createInterface({ input: ctx.io.stdin, output: process.stderr });
    try {
      t = (await rl.question("API token: ")).trim();
    } finally {
      rl.close();
    }
  }
  if (!t) throw new CliError("no token given", EXIT.usage);
  const url = ctx.client.url;
  const probe = new ApiClient(url, t);
  // any read proves the token; a token scoped below "/" answers 403 there, which still proves it
  try {
    await probe.request("/api/v1/children", { query: { path: "/" } });
  } catch (err) {
    const forbidden = err instanceof CliError && err.exitCode === EXIT.auth && err.message.startsWith("FORBIDDEN");
    if (!forbidden) throw err;
  }
  const file = await saveCredentials(ctx.env.configDir, { url, token: t });
  if (ctx.json) ctx.out(JSON.stringify({ url, credentials: file }));
  else ctx.io.stderr.write(`logged in to ${url}; token stored in ${file}\n`);
}
