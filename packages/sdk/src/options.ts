/**
 * Client options as the application passes them, and the normalized form the rest of the SDK
 * uses. Defaults live here and nowhere else.
 */
import { basename } from "node:path";
import { zLabels, type Labels } from "@conifer/protocol";
import type { BackoffOptions } from "@conifer/shared";

export interface Logger {
  warn(message: string): void;
}

export interface ClientOptions {
  /**
   * server base URL, e.g. http://localhost:3000; the socket.io gateway is at <url>/socket.io,
   * so a reverse-proxy prefix works too (http://proxy/conifer → /conifer/socket.io)
   */
  url: string;
  /** application name shown in the server's instance registry; default: the process name */
  app?: string;
  /**
   * who this instance is, e.g. { region: "eu-1", canary: "true" }: shown in the console and
   * matched by label selectors (gray releases). Kubernetes rules: at most 32; keys
   * [prefix/]name, names and values ≤ 63 of [A-Za-z0-9-_.] starting and ending alphanumeric.
   */
  labels?: Labels;
  /** directory for the local cache (one file per path); default: no disk cache (memory only) */
  cacheDir?: string;
  /** credential sent in the socket.io auth payload (`{ token }`) */
  token?: string;
  /** reconnect backoff (full jitter); default { minDelayMs: 250, maxDelayMs: 15_000 } */
  reconnect?: Partial<BackoffOptions>;
  /** ceiling for one request to the server (connect, hello, subscribe, fetch); default 10 s */
  requestTimeoutMs?: number;
  /** where warnings go (corrupt cache files, errors nobody listens to); default console.warn */
  logger?: Logger;
}

export interface ResolvedOptions {
  url: string;
  app: string;
  labels: Labels;
  cacheDir: string | undefined;
  token: string | undefined;
  reconnect: BackoffOptions;
  requestTimeoutMs: number;
  logger: Logger;
}

export const DEFAULT_RECONNECT: BackoffOptions = { minDelayMs: 250, maxDelayMs: 15_000 };

/** The name an unnamed application registers under: its main script, else the process title. */
export function defaultAppName(): string {
  const script = process.argv[1];
  const name = script ? basename(script).replace(/\.[cm]?[jt]sx?$/, "") : process.title;
  return (name || "node").slice(0, 200);
}

export function resolveOptions(options: ClientOptions): ResolvedOptions {
  // JavaScript callers may pass anything: check what actually arrived
  const given: unknown = options;
  if (typeof given !== "object" || given === null || typeof options.url !== "string" || options.url.length === 0) {
    throw new TypeError("createClient: `url` is required");
  }
  if (!URL.canParse(options.url) || !/^(https?|wss?):$/.test(new URL(options.url).protocol)) {
    throw new TypeError(`createClient: \`url\` must be an http(s) URL, got ${JSON.stringify(options.url)}`);
  }
  const minDelayMs = options.reconnect?.minDelayMs ?? DEFAULT_RECONNECT.minDelayMs;
  const maxDelayMs = options.reconnect?.maxDelayMs ?? Math.max(DEFAULT_RECONNECT.maxDelayMs, minDelayMs);
  if (!(minDelayMs > 0) || !(maxDelayMs >= minDelayMs)) {
    throw new TypeError("createClient: reconnect needs 0 < minDelayMs <= maxDelayMs");
  }
  const labels = zLabels.safeParse(options.labels ?? {});
  if (!labels.success) {
    const why = labels.error.issues.map((i) => i.message).join("; ");
    throw new TypeError(`createClient: invalid \`labels\`: ${why}`);
  }
  return {
    url: options.url.replace(/\/+$/, ""),
    app: options.app && options.app.length > 0 ? options.app.slice(0, 200) : defaultAppName(),
    labels: labels.data,
    cacheDir: options.cacheDir,
    token: options.token,
    reconnect: { minDelayMs, maxDelayMs },
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    logger: options.logger ?? { warn: (m) => console.warn(`[conifer-sdk] ${m}`) },
  };
}
