/**
 * history, diff, rollback. The server names versions by history entry id; on the command line a
 * version is its number, so each command first finds the entry of that version in the path's
 * history.
 */
import type { DiffAnswer, HistoryEntry, HistoryPage, WriteAnswer } from "./api-types.ts";
import type { Context } from "./context.ts";
import { CliError, EXIT } from "./errors.ts";
import { getKey, parseVersion } from "./keys.ts";

async function entries(ctx: Context, path: string): Promise<HistoryEntry[]> {
  const all: HistoryEntry[] = [];
  let cursor: string | null = null;
  do {
    const page: HistoryPage = await ctx.client.request<HistoryPage>("/api/v1/history", {
      query: { path, limit: 500, ...(cursor ? { cursor } : {}) },
    });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/** The newest entry recording `version` of `path` (a key deleted and re-created reuses numbers). */
async function entryOf(ctx: Context, path: string, version: string): Promise<HistoryEntry> {
  const v = parseVersion(version);
  const found = (await entries(ctx, path)).find((e) => e.version === v && e.op !== "delete");
  if (!found) throw new CliError(`${path} has no version ${v} in its history`, EXIT.notFound);
  return found;
}

export async function history(ctx: Context, path: string): Promise<void> {
  const list = await entries(ctx, path);
  if (ctx.json) {
    ctx.out(JSON.stringify(list));
    return;
  }
  for (const e of list)
    ctx.out(`v${e.version}\t${new Date(e.at).toISOString()}\t${e.op}\t${e.author}\t${e.message}`.trimEnd());
}

export async function diff(ctx: Context, path: string, v1: string, v2: string | undefined): Promise<void> {
  const from = await entryOf(ctx, path, v1);
  const to = v2 === undefined ? "live" : (await entryOf(ctx, path, v2)).id;
  const answer = await ctx.client.request<DiffAnswer>("/api/v1/diff", {
    query: to === "live" ? { path, fromId: from.id, toId: "live" } : { fromId: from.id, toId: to },
  });
  if (ctx.json) {
    ctx.out(JSON.stringify(answer));
    return;
  }
  ctx.io.stdout.write(answer.unified.endsWith("\n") || answer.unified === "" ? answer.unified : `${answer.unified}\n`);
}

export async function rollback(ctx: Context, path: string, version: string, message: string): Promise<void> {
  const to = await entryOf(ctx, path, version);
  const current = await getKey(ctx, path);
  const answer = await ctx.client.request<WriteAnswer>("/api/v1/rollback", {
    method: "POST",
    body: { path, toId: to.id, expectedVersion: current.version, message },
  });
  const now = answer.stat?.version ?? -1;
  if (ctx.json) ctx.out(JSON.stringify({ path, version: now, from: to.version }));
  else ctx.io.stderr.write(`${path}: rolled back to the content of v${to.version}, now version ${now}\n`);
}
