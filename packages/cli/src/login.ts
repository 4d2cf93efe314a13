/**
 * `conifer login`: with a token (--token, or asked for on the terminal), checked against the
 * server by listing "/" with it; or, with --user, as a person (password asked for, or read from
 * stdin with --password-stdin), because API tokens may never roll back (a person does, as the
 * server's authorization rules say). Either is stored for later commands (credentials.ts).
 */
import { createInterface } from "node:readline/promises";
import { ApiClient } from "./client.ts";
import { readAll, type Context } from "./context.ts";
import { saveCredentials, type Credentials } from "./credentials.ts";
import { CliError, EXIT } from "./errors.ts";

export interface LoginOptions {
  token?: string;
  user?: string;
  passwordStdin?: boolean;
}

async function ask(ctx: Context, question: string): Promise<string> {
  if (!ctx.io.stdin.isTTY) throw new CliError(`stdin is not a terminal to ask for the ${question} on`, EXIT.usage);
  const rl = createInterface({ input: ctx.io.stdin, output: process.stderr });
  try {
    return (await rl.question(`${question}: `)).trim();
  } finally {
    rl.close();
  }
}

async function tokenLogin(ctx: Context, given: string | undefined): Promise<Credentials> {
  const token = given ?? (await ask(ctx, "API token"));
  if (!token) throw new CliError("no token given", EXIT.usage);
  const url = ctx.client.url;
  // any read proves the token; a token scoped below "/" answers 403 there, which still proves it
  try {
    await new ApiClient(url, { token }).request("/api/v1/children", { query: { path: "/" } });
  } catch (err) {
    const forbidden = err instanceof CliError && err.exitCode === EXIT.auth && err.message.startsWith("FORBIDDEN");
    if (!forbidden) throw err;
  }
  return { url, token };
}

async function userLogin(ctx: Context, user: string, passwordStdin: boolean): Promise<Credentials> {
  const password = passwordStdin ? (await readAll(ctx.io.stdin)).replace(/\r?\n$/, "") : await ask(ctx, "password");
  const url = ctx.client.url;
  let res: Response;
  try {
    res = await fetch(`${url.replace(/\/+$/, "")}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: user, password }),
    });
  } catch (err) {
    throw new CliError(`cannot reach ${url}: ${(err as { cause?: Error }).cause?.message ?? (err as Error).message}`);
  }
  const body = (await res.json().catch(() => undefined)) as
    { result?: { data?: { csrfToken?: string } }; error?: { message?: string } } | undefined;
  const csrf = body?.result?.data?.csrfToken;
  if (res.status !== 200 || !csrf)
    throw new CliError(`login as ${user} refused: ${body?.error?.message ?? `HTTP ${res.status}`}`, EXIT.auth);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return { url, session: { user, cookie, csrf } };
}

export async function login(ctx: Context, opts: LoginOptions): Promise<void> {
  const creds = opts.user
    ? await userLogin(ctx, opts.user, opts.passwordStdin === true)
    : await tokenLogin(ctx, opts.token);
  const file = await saveCredentials(ctx.env.configDir, creds);
  const who = creds.session ? creds.session.user : "an API token";
  if (ctx.json) ctx.out(JSON.stringify({ url: creds.url, as: who, credentials: file }));
  else ctx.io.stderr.write(`logged in to ${creds.url} as ${who}; stored in ${file}\n`);
}
