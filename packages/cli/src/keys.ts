/** The key commands: ls, get, put, create, rm. Each is one REST call. */
import { readFile } from "node:fs/promises";
import type { KeyAnswer, Listing, WriteAnswer } from "./api-types.ts";
import { readAll, type Context } from "./context.ts";
import { CliError, EXIT } from "./errors.ts";

/** A version number given on the command line (a usage error otherwise). */
export function parseVersion(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new CliError(`not a version number: ${text}`, EXIT.usage);
  return Number(text);
}

export async function readContent(ctx: Context, file: string | undefined): Promise<string> {
  if (file !== undefined && file !== "-") {
    try {
      return await readFile(file, "utf8");
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
    }
  }
  if (ctx.io.stdin.isTTY) throw new CliError("give a file, or pipe the content to stdin", EXIT.usage);
  return readAll(ctx.io.stdin);
}

export function getKey(ctx: Context, path: string): Promise<KeyAnswer> {
  return ctx.client.request<KeyAnswer>("/api/v1/keys", { query: { path } });
}

export async function ls(ctx: Context, path: string): Promise<void> {
  const listing = await ctx.client.request<Listing>("/api/v1/children", { query: { path } });
  if (ctx.json) {
    ctx.out(JSON.stringify(listing.children.map((c) => ({ path: c.path, version: c.stat.version }))));
    return;
  }
  for (const c of listing.children) ctx.out(c.stat.numChildren > 0 ? `${c.path}/` : c.path);
}

export async function get(ctx: Context, path: string): Promise<void> {
  const key = await getKey(ctx, path);
  if (ctx.json) {
    ctx.out(JSON.stringify({ path: key.path, content: key.content, version: key.version, format: key.format }));
    return;
  }
  ctx.io.stdout.write(key.content);
  // a terminal prompt should start on its own line; piped output stays byte for byte
  if (ctx.io.stdout.isTTY && !key.content.endsWith("\n")) ctx.io.stdout.write("\n");
}

export interface PutOptions {
  message?: string;
  expectVersion?: string;
}

export async function putContent(ctx: Context, path: string, content: string, opts: PutOptions): Promise<number> {
  const answer = await ctx.client.request<WriteAnswer>("/api/v1/keys", {
    method: "PUT",
    query: { path },
    body: { content, ...(opts.message ? { message: opts.message } : {}) },
    headers: opts.expectVersion === undefined ? {} : { "if-match": `"${parseVersion(opts.expectVersion)}"` },
  });
  return report(ctx, path, answer);
}

export async function put(ctx: Context, path: string, file: string | undefined, opts: PutOptions): Promise<void> {
  // a bad version is reported before stdin is waited on
  if (opts.expectVersion !== undefined) parseVersion(opts.expectVersion);
  await putContent(ctx, path, await readContent(ctx, file), opts);
}

export async function create(ctx: Context, path: string, file: string | undefined, opts: PutOptions): Promise<void> {
  const content = await readContent(ctx, file);
  const answer = await ctx.client.request<WriteAnswer>("/api/v1/keys", {
    method: "POST",
    body: { path, content, ...(opts.message ? { message: opts.message } : {}) },
  });
  report(ctx, path, answer);
}

export async function rm(ctx: Context, path: string, opts: PutOptions & { recursive?: boolean }): Promise<void> {
  await ctx.client.request<unknown>("/api/v1/keys", {
    method: "DELETE",
    query: { path, ...(opts.recursive ? { recursive: true } : {}), ...(opts.message ? { message: opts.message } : {}) },
    headers: opts.expectVersion === undefined ? {} : { "if-match": `"${parseVersion(opts.expectVersion)}"` },
  });
  if (ctx.json) ctx.out(JSON.stringify({ path, deleted: true }));
  else ctx.io.stderr.write(`deleted ${path}\n`);
}

function report(ctx: Context, path: string, answer: WriteAnswer): number {
  const version = answer.stat?.version ?? -1;
  if (ctx.json) ctx.out(JSON.stringify({ path, version }));
  // on stderr: stdout stays clean for a pipeline
  else ctx.io.stderr.write(`${path}: version ${version}\n`);
  return version;
}
