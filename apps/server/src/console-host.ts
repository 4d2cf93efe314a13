/**
 * Serves the web console. When apps/console has a production build (.next), the Next.js app
 * runs in this process (next({ dev: false }) + its request handler); otherwise a small page
 * explains how to build it, so the API and the SDK gateway work either way.
 */
import { existsSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface ConsoleHost {
  /** "next" when the built console is served, "placeholder" otherwise */
  mode: "next" | "placeholder" | "disabled";
  handle: RequestHandler;
  close(): Promise<void>;
}

export async function createConsoleHost(opts: { consoleDir?: string; enabled: boolean }): Promise<ConsoleHost> {
  if (!opts.enabled || !opts.consoleDir)
    return { mode: "disabled", handle: placeholder("The console is disabled on this server."), close: async () => {} };
  const dir = opts.consoleDir;
  if (!existsSync(join(dir, ".next", "BUILD_ID"))) {
    return {
      mode: "placeholder",
      handle: placeholder(
        "The console is not built yet. Run <code>npm run build -w @conifer/console</code> (or <code>npm start</code>, which builds it) and restart.",
      ),
      close: async () => {},
    };
  }
  // Imported lazily: loading Next costs time and memory that API-only servers and tests skip.
  const { default: next } = await import("next");
  const app = next({ dir, dev: false, quiet: true });
  await app.prepare();
  const handler = app.getRequestHandler();
  return {
    mode: "next",
    handle: (req, res) => handler(req, res),
    close: async () => {
      await app.close();
    },
  };
}

function placeholder(message: string): RequestHandler {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Conifer</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2937}code{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}</style></head>
<body><h1>Conifer</h1><p>${message}</p><p>The API is available at <code>/trpc</code>, the SDK gateway at <code>/socket.io</code>,
and <code>GET /api/v1/config?path=/your/key</code> reads a value.</p></body></html>`;
  return (req, res) => {
    res.writeHead(req.url === "/" || req.url?.startsWith("/?") ? 200 : 404, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  };
}
