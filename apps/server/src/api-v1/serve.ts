/**
 * Serving one /api/v1 route of the table (routes.ts): the input is assembled from the query
 * string, the JSON (or text/plain content) body and If-Match, then the route's tRPC procedure runs
 * through a caller with the request's context, so the procedure's zod schema, the CSRF rule for
 * cookie sessions and the one authorization module decide exactly as they do for the console.
 * Failures answer core's one table (httpError) plus the error's details (line and column of
 * invalid content, the current version of a stale write).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { appRouter, createContext } from "@conifer/api";
import { ConfigError, httpError, type Conifer } from "@conifer/core";
import { fromCaller, readBody } from "../rest-changes.ts";
import { isHttps } from "../security-headers.ts";
import { inputFields, queryFields } from "./openapi.ts";
import type { RateLimiter } from "./rate-limit.ts";
import type { RestRoute } from "./routes.ts";

type Send = (res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>) => void;
type AnyCaller = Record<string, Record<string, (input: unknown) => Promise<unknown>>>;

export interface ServeOptions {
  ip: string | undefined;
  maxBodyBytes: number;
  limiter: RateLimiter;
  send: Send;
}

/** The credential a rate limit counts against: the token, the user, else the address. */
export function limitKey(principal: Awaited<ReturnType<typeof createContext>>["principal"], ip?: string): string {
  if (!principal) return `ip:${ip ?? "?"}`;
  return principal.kind === "token" ? `token:${principal.tokenId}` : `user:${principal.name}`;
}

/** The API error body: the table's code and message, plus the code's details. */
export function errorAnswer(err: ConfigError): { status: number; body: unknown } {
  const { status, body } = httpError(err);
  const details = err.details as Record<string, unknown> | undefined;
  return { status, body: details && Object.keys(details).length > 0 ? { error: { ...body.error, details } } : body };
}

export async function serveRoute(
  conifer: Conifer,
  route: RestRoute,
  req: IncomingMessage,
  url: URL,
  res: ServerResponse,
  opts: ServeOptions,
): Promise<void> {
  try {
    const ctx = await createContext({ conifer, headers: req.headers, ip: opts.ip, secure: isHttps(req) });
    const wait = opts.limiter.take(limitKey(ctx.principal, opts.ip));
    if (wait > 0) {
      const err = new ConfigError("RATE_LIMITED", "too many requests for this credential", { retryAfterMs: wait });
      const { status, body } = errorAnswer(err);
      opts.send(res, status, body, { "retry-after": String(Math.ceil(wait / 1000)) });
      return;
    }
    const input = await assembleInput(route, req, url, opts.maxBodyBytes);
    const [routerName, procName] = route.procedure.split(".") as [string, string];
    const caller = appRouter.createCaller(ctx) as unknown as AnyCaller;
    const procedure = caller[routerName]?.[procName];
    if (!procedure) throw new ConfigError("INTERNAL", `no procedure ${route.procedure}`);
    const answer = await procedure(input);
    if (route.etag) {
      const node = answer as {
        path: string;
        data: string;
        encoding: string;
        format: string;
        stat: { version: number; mzxid: string };
      };
      const etag = `"${node.stat.version}"`;
      if (matches(req.headers["if-none-match"], node.stat.version)) {
        res.writeHead(304, { etag, "cache-control": "no-cache" });
        res.end();
        return;
      }
      const body = {
        path: node.path,
        content: node.data,
        encoding: node.encoding,
        format: node.format,
        version: node.stat.version,
        mzxid: node.stat.mzxid,
        stat: node.stat,
      };
      opts.send(res, 200, body, { etag });
      return;
    }
    opts.send(res, route.status ?? 200, answer);
  } catch (err) {
    const error = fromCaller(err);
    const { status, body } = errorAnswer(error);
    // a failed If-Match precondition is 412 in HTTP (RFC 9110), where tRPC answers CONFLICT 409
    const stale = route.ifMatch && error.code === "CONFLICT" && "currentVersion" in error.details;
    opts.send(res, stale ? 412 : status, body);
  }
}

/** If-None-Match: "3", 3, W/"3" or a list of them; * matches any existing version. */
function matches(header: string | string[] | undefined, version: number): boolean {
  if (header === undefined) return false;
  const list = (Array.isArray(header) ? header.join(",") : header).split(",").map((s) => s.trim());
  return list.some((t) => t === "*" || t.replace(/^W\//, "").replace(/"/g, "") === String(version));
}

/** Query values converted to the type the procedure's schema wants (query strings are all text). */
function fromQuery(route: RestRoute, url: URL): Record<string, unknown> {
  const fields = inputFields(route.procedure);
  const input: Record<string, unknown> = {};
  const wanted = queryFields(route);
  for (const name of new Set(url.searchParams.keys())) {
    if (!wanted.includes(name)) {
      // left to the schema: a strict input refuses it with the field's name
      input[name] = url.searchParams.get(name);
      continue;
    }
    const type = fields.get(name)?.schema.type;
    const values = url.searchParams.getAll(name);
    const one = values[values.length - 1] ?? "";
    input[name] =
      type === "array"
        ? values
        : type === "integer" || type === "number"
          ? /^-?\d+(\.\d+)?$/.test(one)
            ? Number(one)
            : one
          : type === "boolean"
            ? one === "true" || one === "1"
              ? true
              : one === "false" || one === "0"
                ? false
                : one
            : one;
  }
  return input;
}

async function assembleInput(route: RestRoute, req: IncomingMessage, url: URL, max: number): Promise<unknown> {
  const input = fromQuery(route, url);
  if (route.method !== "GET") {
    const { text, type } = await readBody(req, max);
    if (text.trim()) {
      if (type.startsWith("text/plain")) input["content"] = text;
      else {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          throw new ConfigError("INVALID_INPUT", "the request body is not valid JSON (or send text/plain content)");
        }
        if (typeof body !== "object" || body === null || Array.isArray(body))
          throw new ConfigError("INVALID_INPUT", "the request body must be a JSON object");
        Object.assign(input, body);
      }
    }
  }
  if (route.ifMatch) {
    const header: string | undefined = req.headers["if-match"];
    const tag = header?.trim().replace(/^W\//, "").replace(/"/g, "");
    if (tag !== undefined && tag !== "*") {
      if (!/^-?\d+$/.test(tag)) throw new ConfigError("INVALID_INPUT", `If-Match must be a version number, not ${tag}`);
      input[route.ifMatch] = Number(tag);
    } else if (input[route.ifMatch] === undefined) input[route.ifMatch] = -1;
  }
  return input;
}
