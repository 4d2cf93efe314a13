/**
 * The tRPC request context: which Conifer instance serves the request, who is asking (the
 * principal from a session cookie or an API token, read by core's auth/credentials.ts), whether a mutation
 * passes the CSRF check, and how to set cookies on the answer (login / logout).
 * The author of writes is the principal's name; the source is the `x-conifer-source` header
 * ("console" | "api" | "sdk", default "api").
 */
import {
  header,
  readCredentials,
  type Actor,
  type AuthService,
  type Conifer,
  type Credentials,
  type HeaderBag,
  type Principal,
  type WriteSource,
} from "@conifer/core";

export interface Context {
  conifer: Conifer;
  auth: AuthService;
  /** a request's actor: always a client surface (never the scheduler) */
  actor: Actor & { source: WriteSource };
  principal: Principal | null;
  via: Credentials["via"];
  /** why the credential sent was refused, when worth telling (an expired API token) */
  refusal?: string;
  csrfOk: boolean;
  sameOrigin: boolean;
  /** served over https (directly or per X-Forwarded-Proto): cookies get Secure */
  secure: boolean;
  setCookies(values: string[]): void;
}

const SOURCES: readonly WriteSource[] = ["console", "api", "sdk"];

export function sourceFromHeaders(headers: HeaderBag): WriteSource {
  const raw = header(headers, "x-conifer-source")?.trim().toLowerCase();
  return SOURCES.find((s) => s === raw) ?? "api";
}

export function actorOf(principal: Principal | null, headers: HeaderBag, ip?: string): Actor & { source: WriteSource } {
  const author = principal ? (principal.kind === "token" ? `token:${principal.name}` : principal.name) : "anonymous";
  return { author, source: sourceFromHeaders(headers), ...(ip ? { ip } : {}) };
}

/** Builds the context of one request. */
export async function createContext(opts: {
  conifer: Conifer;
  headers: HeaderBag;
  ip?: string;
  secure?: boolean;
  setCookies?: (values: string[]) => void;
}): Promise<Context> {
  const creds = await readCredentials(opts.conifer.auth, opts.headers);
  return {
    conifer: opts.conifer,
    auth: opts.conifer.auth,
    actor: actorOf(creds.principal, opts.headers, opts.ip),
    principal: creds.principal,
    via: creds.via,
    ...(creds.refusal ? { refusal: creds.refusal } : {}),
    csrfOk: creds.csrfOk,
    sameOrigin: creds.sameOrigin,
    secure: opts.secure ?? false,
    setCookies: opts.setCookies ?? (() => {}),
  };
}
