/**
 * What every command runs with: the client (url and token resolved from --url/--token, the
 * environment, then the stored login), the output streams and --json. Streams are injected so
 * the unit tests can run the program without a terminal.
 */
import { ApiClient, type Auth } from "./client.ts";
import { loadCredentials } from "./credentials.ts";
import type { CliEnv } from "./env.ts";

export const DEFAULT_URL = "http://127.0.0.1:3000";

export interface Io {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
}

export interface GlobalOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

export interface Context {
  client: ApiClient;
  json: boolean;
  io: Io;
  env: CliEnv;
  /** prints a line */
  out(line: string): void;
}

export async function makeContext(opts: GlobalOptions, env: CliEnv, io: Io): Promise<Context> {
  const explicitUrl = opts.url ?? env.url;
  // a stored login answers for the server it was made against (or any, when no url is given)
  const stored = (opts.token ?? env.token) ? undefined : await loadCredentials(env.configDir);
  const url = explicitUrl ?? stored?.url ?? DEFAULT_URL;
  const login = stored && (!explicitUrl || stored.url === url) ? stored : undefined;
  const token = opts.token ?? env.token ?? login?.token;
  const auth: Auth = token ? { token } : login?.session;
  return {
    client: new ApiClient(url, auth),
    json: opts.json === true,
    io,
    env,
    out: (line) => io.stdout.write(`${line}\n`),
  };
}

/** All of a stream (stdin), as UTF-8 text. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === "string" ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString("utf8");
}
