/**
 * The REST API v1 over global fetch: a bearer token, JSON in and out, every failure turned into
 * the CLI's one error (errors.ts) with its exit code.
 */
import { apiError, CliError, type ApiErrorBody } from "./errors.ts";

export interface RequestOptions {
  method?: "GET" | "PUT" | "POST" | "DELETE";
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A bearer API token, or a person's session (cookie + CSRF header, as the console sends them). */
export type Auth = { token: string } | { cookie: string; csrf: string } | undefined;

export class ApiClient {
  constructor(
    readonly url: string,
    private readonly auth: Auth,
  ) {}

  private authHeaders(): Record<string, string> {
    if (!this.auth) return {};
    return "token" in this.auth
      ? { authorization: `Bearer ${this.auth.token}` }
      : { cookie: this.auth.cookie, "x-csrf-token": this.auth.csrf };
  }

  /** The raw answer (the watch reads a stream); errors other than the network's are the caller's. */
  async fetch(route: string, opts: RequestOptions = {}): Promise<Response> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) qs.set(k, String(v));
    const target = `${this.url.replace(/\/+$/, "")}${route}${qs.size > 0 ? `?${qs.toString()}` : ""}`;
    try {
      return await fetch(target, {
        method: opts.method ?? "GET",
        headers: {
          ...this.authHeaders(),
          ...(opts.body === undefined ? {} : { "content-type": "application/json" }),
          ...opts.headers,
        },
        ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (err) {
      if ((err as Error).name === "AbortError") throw err;
      const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
      throw new CliError(`cannot reach ${this.url}: ${cause}`);
    }
  }

  async request<T>(route: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.fetch(route, opts);
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      throw new CliError(`${res.status} from ${route}: the answer is not JSON (is ${this.url} a Conifer server?)`);
    }
    if (!res.ok) throw apiError(res.status, body as ApiErrorBody | undefined);
    return body as T;
  }
}
