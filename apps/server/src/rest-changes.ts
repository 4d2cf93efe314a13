/**
 * Change requests over plain HTTP, for CI pipelines and scripts (issue 14 item 10): propose a
 * change with an API token, submit it for review, follow it, and publish it where the caller may.
 * Every route calls the same tRPC procedure the console does (same input validation, permission
 * checks, CSRF rule for cookie sessions and audit), so REST can never allow what tRPC refuses.
 *
 *   POST /api/v1/changes                { title, message?, items: [{ path, op?, content?, baseVersion? }], submit? }
 *   GET  /api/v1/changes[?status=in_review&status=approved]
 *   GET  /api/v1/changes/<id>
 *   POST /api/v1/changes/<id>/submit | /withdraw | /publish | /unschedule
 *   POST /api/v1/changes/<id>/schedule  { at: epoch ms or ISO 8601 time }
 *   GET  /api/v1/releases/<id>
 *   POST /api/v1/environments/promote   { from, to, keys?, fields?: [{ key, paths }], keepTargetOverrides?, title?, message?, submit? }
 *        (selected keys or fields of one prefix proposed onto another: 201 with the draft change, or submitted)
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { appRouter, createContext } from "@conifer/api";
import { ConfigError, httpError, toConfigError, type Conifer } from "@conifer/core";
import type { CHANGE_STATUSES } from "@conifer/core";
import { TRPCError } from "@trpc/server";
import { isHttps } from "./security-headers.ts";

type Send = (res: ServerResponse, status: number, body: unknown) => void;

const ROUTE = /^\/api\/v1\/(changes|releases)(?:\/(\d{1,10})(?:\/(submit|withdraw|publish|schedule|unschedule))?)?$/;
const PROMOTE = "/api/v1/environments/promote";

/** true when `path` is one of these routes (the caller answers 404 for other /api paths) */
export function isChangesRoute(path: string): boolean {
  return ROUTE.test(path) || path === PROMOTE;
}

export async function serveChanges(
  conifer: Conifer,
  req: IncomingMessage,
  url: URL,
  res: ServerResponse,
  opts: { ip: string | undefined; maxBodyBytes: number; send: Send },
): Promise<void> {
  const [, kind, id, action] = ROUTE.exec(url.pathname) ?? [];
  try {
    const ctx = await createContext({ conifer, headers: req.headers, ip: opts.ip, secure: isHttps(req) });
    const api = appRouter.createCaller(ctx);
    const method = req.method ?? "GET";
    const want = (m: "GET" | "POST") => {
      if (method !== m && !(m === "GET" && method === "HEAD")) throw new WrongMethod(`use ${m} for ${url.pathname}`);
    };
    if (url.pathname === PROMOTE) {
      want("POST");
      const body = (await readJson(req, opts.maxBodyBytes)) as { submit?: unknown } | null;
      const { submit, ...input } = body ?? {};
      const change = await api.environments.promote(input as Parameters<typeof api.environments.promote>[0]);
      opts.send(res, 201, submit === true ? await api.changes.submit({ id: change.id }) : change);
      return;
    }
    if (kind === "releases") {
      if (!id || action) throw new ConfigError("NOT_FOUND", "GET /api/v1/releases/<id>; lists are in the console");
      want("GET");
      opts.send(res, 200, await api.releases.get({ id }));
      return;
    }
    if (!id) {
      if (method === "POST") {
        const body = (await readJson(req, opts.maxBodyBytes)) as { submit?: unknown } | null;
        const { submit, ...input } = body ?? {};
        const change = await api.changes.create(input as Parameters<typeof api.changes.create>[0]);
        opts.send(res, 201, submit === true ? await api.changes.submit({ id: change.id }) : change);
        return;
      }
      want("GET");
      const statuses = url.searchParams.getAll("status");
      // unknown statuses are refused by the procedure's input check
      const filter = statuses.length > 0 ? { statuses: statuses as (typeof CHANGE_STATUSES)[number][] } : {};
      opts.send(res, 200, await api.changes.list(filter));
      return;
    }
    if (!action) {
      want("GET");
      opts.send(res, 200, await api.changes.get({ id }));
      return;
    }
    want("POST");
    if (action === "schedule") {
      const body = (await readJson(req, opts.maxBodyBytes)) as { at?: unknown } | null;
      const at = typeof body?.at === "string" ? Date.parse(body.at) : body?.at;
      opts.send(res, 200, await api.changes.schedule({ id, at: at as number }));
      return;
    }
    const answer =
      action === "submit"
        ? await api.changes.submit({ id })
        : action === "withdraw"
          ? await api.changes.withdraw({ id })
          : action === "unschedule"
            ? await api.changes.unschedule({ id })
            : await api.changes.publish({ id });
    opts.send(res, 200, answer);
  } catch (err) {
    // the same table as tRPC's answers (core's error-transport.ts)
    if (err instanceof WrongMethod) {
      opts.send(res, 405, { error: { code: "INVALID_INPUT", message: err.message } });
      return;
    }
    const { status, body } = httpError(fromCaller(err));
    opts.send(res, status, body);
  }
}

/** A procedure's failure as the product's error: the ConfigError (or input error) it carries. */
export function fromCaller(err: unknown): ConfigError {
  if (err instanceof TRPCError) {
    if (err.cause) return toConfigError(err.cause);
    if (err.code === "UNAUTHORIZED") return new ConfigError("UNAUTHENTICATED", err.message);
  }
  return toConfigError(err);
}

/** The route exists, not with this method (405, as the other REST routes answer). */
class WrongMethod extends Error {}

/** The request body as text with its content type, refused over `max` bytes while it streams in. */
export async function readBody(req: IncomingMessage, max: number): Promise<{ text: string; type: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new ConfigError("TOO_LARGE", `request body over ${max} bytes`, { size, limit: max });
    chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString("utf8"), type: req.headers["content-type"] ?? "" };
}

/** The request body as JSON, refused over `max` bytes while it streams in. */
async function readJson(req: IncomingMessage, max: number): Promise<unknown> {
  const { text } = await readBody(req, max);
  if (!text.trim()) throw new ConfigError("INVALID_INPUT", "send a JSON body: { title, items: [...] }");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ConfigError("INVALID_INPUT", "the request body is not valid JSON");
  }
}
