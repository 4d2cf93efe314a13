/**
 * The HTTP request router of the one server: tRPC at /trpc, the REST read endpoint, change
 * requests (rest-changes.ts), the audit export and the health check under /api/v1 and /healthz, and everything else to the console host. (socket.io hooks
 * /socket.io on the same server by itself.)
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { appRouter, createContext } from "@conifer/api";
import { authorize, httpError, readCredentials, toConfigError, type Conifer, type Logger } from "@conifer/core";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { openApiDocument } from "./api-v1/openapi.ts";
import { RateLimiter } from "./api-v1/rate-limit.ts";
import { findRoute } from "./api-v1/routes.ts";
import { serveRoute } from "./api-v1/serve.ts";
import { WatchHub } from "./api-v1/watch.ts";
import { exportAudit } from "./audit-export.ts";
import { isChangesRoute, serveChanges } from "./rest-changes.ts";
import type { RequestHandler } from "./console-host.ts";
import { isHttps, setSecurityHeaders } from "./security-headers.ts";

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Larger request bodies are refused while streaming in (413), never buffered whole. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** The client's address: the socket peer, or (trusted proxy) the first X-Forwarded-For entry. */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string | undefined {
  const forwarded = trustProxy ? req.headers["x-forwarded-for"] : undefined;
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  return first && first.length <= 100 ? first : req.socket.remoteAddress;
}

/** generous: a script polling once a second per key stays far below it */
export const DEFAULT_API_RATE_LIMIT = 6000;

export function createRequestHandler(
  conifer: Conifer,
  consoleHandler: () => RequestHandler,
  log: Logger,
  trustProxy = false,
  /** /api/v1 requests per minute per API token or user (CONIFER_API_RATE_LIMIT) */
  apiRateLimit = DEFAULT_API_RATE_LIMIT,
  // node:http ignores a listener's return value: the async routes below catch their own errors
): (req: IncomingMessage, res: ServerResponse) => void {
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: "/trpc/",
    maxBodySize: MAX_BODY_BYTES,
    // lets clients send big queries (config.validate with a whole document) as POST
    // (httpBatchLink({ methodOverride: "POST" })) instead of hitting URL length limits
    allowMethodOverride: true,
    createContext: ({ req, res }) =>
      createContext({
        conifer,
        headers: req.headers,
        ip: clientIp(req, trustProxy),
        secure: isHttps(req),
        setCookies: (values) => res.appendHeader("set-cookie", values),
      }),
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") log.error(`tRPC ${path ?? "?"} failed`, error.cause ?? error);
    },
  });

  const limiter = new RateLimiter(apiRateLimit);
  // one listener on the change feed for every held watch, made on the first watch request
  let hub: WatchHub | undefined;
  const watchHub = () => (hub ??= new WatchHub(conifer, limiter, sendJson));
  let openApi: string | undefined;

  async function restConfig(req: IncomingMessage, url: URL, res: ServerResponse): Promise<void> {
    const path = url.searchParams.get("path");
    try {
      // API token (Authorization: Bearer) or a console session; reads need no CSRF token
      const { principal, refusal } = await readCredentials(conifer.auth, req.headers);
      if (!principal) {
        sendJson(res, 401, {
          error: { code: "UNAUTHENTICATED", message: refusal ?? "Send Authorization: Bearer <API token>" },
        });
        return;
      }
      if (!path) {
        sendJson(res, 400, {
          error: { code: "INVALID_INPUT", message: "query parameter path is required, e.g. ?path=/app/config.json" },
        });
        return;
      }
      // the one authorization module's refusal (and message), as tRPC answers it
      authorize(principal, "read", path);
      const snap = await conifer.fetch(path);
      if (!snap.exists) {
        sendJson(res, 404, { error: { code: "NOT_FOUND", message: `No such node: ${path}` } });
        return;
      }
      sendJson(res, 200, snap);
    } catch (err) {
      // the same table as tRPC's answers (core's error-transport.ts)
      const { status, body } = httpError(toConfigError(err, path ?? undefined));
      sendJson(res, status, body);
    }
  }

  async function health(res: ServerResponse): Promise<void> {
    try {
      const info = await conifer.clusterInfo();
      sendJson(res, 200, {
        ok: true,
        backend: { kind: info.kind, description: info.description, writable: info.writable },
        history: { backlog: conifer.historyBacklog },
        // long-polls held right now (GET /api/v1/watch)
        watch: { held: hub?.held ?? 0 },
      });
    } catch (err) {
      sendJson(res, 503, { ok: false, error: (err as Error).message });
    }
  }

  return (req: IncomingMessage, res: ServerResponse) => {
    setSecurityHeaders(res);
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://localhost");
    } catch {
      sendJson(res, 400, { error: { code: "INVALID_INPUT", message: "malformed request target" } });
      return;
    }
    const p = url.pathname;
    if (p === "/trpc" || p.startsWith("/trpc/")) {
      trpc(req, res);
      return;
    }
    if (p === "/healthz") {
      void health(res);
      return;
    }
    if (p === "/api/v1/config") {
      if (req.method !== "GET" && req.method !== "HEAD") {
        sendJson(res, 405, { error: { code: "INVALID_INPUT", message: "use GET" } });
        return;
      }
      void restConfig(req, url, res);
      return;
    }
    if (p === "/api/v1/audit/export") {
      if (req.method !== "GET") {
        sendJson(res, 405, { error: { code: "INVALID_INPUT", message: "use GET" } });
        return;
      }
      void exportAudit(conifer, req, url, res);
      return;
    }
    if (p === "/api/v1/openapi.json") {
      openApi ??= JSON.stringify(openApiDocument());
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-cache" });
      res.end(openApi);
      return;
    }
    if (p === "/api/v1/watch" || p === "/api/v1/events") {
      if (req.method !== "GET") {
        sendJson(res, 405, { error: { code: "INVALID_INPUT", message: "use GET" } });
        return;
      }
      const ip = clientIp(req, trustProxy);
      void (p === "/api/v1/watch" ? watchHub().longPoll(req, url, res, ip) : watchHub().events(req, url, res, ip));
      return;
    }
    const route = findRoute(req.method ?? "GET", p);
    if (route === "wrong-method") {
      sendJson(res, 405, { error: { code: "INVALID_INPUT", message: `no ${req.method ?? "?"} on ${p}` } });
      return;
    }
    if (route) {
      void serveRoute(conifer, route, req, url, res, {
        ip: clientIp(req, trustProxy),
        maxBodyBytes: MAX_BODY_BYTES,
        limiter,
        send: sendJson,
      });
      return;
    }
    if (isChangesRoute(p)) {
      void serveChanges(conifer, req, url, res, {
        ip: clientIp(req, trustProxy),
        maxBodyBytes: MAX_BODY_BYTES,
        send: sendJson,
      });
      return;
    }
    if (p.startsWith("/api/")) {
      sendJson(res, 404, { error: { code: "NOT_FOUND", message: `No API route ${p}` } });
      return;
    }
    void consoleHandler()(req, res);
  };
}
