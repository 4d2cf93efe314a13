/**
 * `conifer watch <path>`: the long-poll endpoint (GET /api/v1/watch) in a loop. Each answer names
 * the mzxid it reports, and the next poll asks from that one, so a change made between two polls
 * is answered at once by the next, never missed.
 */
import type { Context } from "./context.ts";
import { CliError, EXIT, apiError, type ApiErrorBody } from "./errors.ts";
import { getKey } from "./keys.ts";

interface Change {
  path: string;
  exists: boolean;
  version: number;
  mzxid: string;
}

/** Polls until `signal` aborts (or forever). */
export async function watch(ctx: Context, path: string, signal?: AbortSignal): Promise<void> {
  let mzxid = "0";
  try {
    mzxid = (await getKey(ctx, path)).mzxid;
  } catch (err) {
    // a key not there yet is watched for its creation
    if (!(err instanceof CliError && err.exitCode === EXIT.notFound)) throw err;
  }
  while (!signal?.aborted) {
    let res: Response;
    try {
      res = await ctx.client.fetch("/api/v1/watch", {
        query: { path, mzxid, timeout: 55 },
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    }
    if (res.status === 304) continue;
    const body = (await res.json()) as { changes?: Change[] } & ApiErrorBody;
    if (!res.ok) throw apiError(res.status, body);
    for (const c of body.changes ?? []) {
      mzxid = c.mzxid;
      if (ctx.json) ctx.out(JSON.stringify(c));
      else ctx.out(c.exists ? `${c.path}\tv${c.version}` : `${c.path}\tdeleted`);
    }
  }
}
