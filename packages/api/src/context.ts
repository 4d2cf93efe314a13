/**
 * The tRPC request context: which Conifer instance serves the request and who is asking.
 * Until accounts exist (the security issue), the author is the `x-conifer-author` header or
 * "anonymous", and the source the `x-conifer-source` header ("console" | "api" | "sdk").
 */
import type { Actor, Conifer, WriteSource } from "@conifer/core";

export interface Context {
  conifer: Conifer;
  actor: Actor;
}

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

const SOURCES: readonly WriteSource[] = ["console", "api", "sdk"];
const MAX_AUTHOR = 200;

export function actorFromHeaders(headers: HeaderBag, ip?: string): Actor {
  const rawAuthor = header(headers, "x-conifer-author")?.trim();
  // header values are latin1 on the wire; the console sends UTF-8 names percent-encoded
  // control characters (e.g. a percent-encoded NUL) never reach logs or the database
  let author = rawAuthor ? safeDecode(rawAuthor).replace(/[\u0000-\u001f\u007f-\u009f]/g, "").trim().slice(0, MAX_AUTHOR) : "anonymous";
  if (!author) author = "anonymous";
  const rawSource = header(headers, "x-conifer-source")?.trim().toLowerCase();
  const source = SOURCES.find((s) => s === rawSource) ?? "api";
  return { author, source, ...(ip ? { ip } : {}) };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Builds the context of one request. */
export function createContext(opts: { conifer: Conifer; headers: HeaderBag; ip?: string }): Context {
  return { conifer: opts.conifer, actor: actorFromHeaders(opts.headers, opts.ip) };
}
