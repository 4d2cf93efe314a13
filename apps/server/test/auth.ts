/**
 * Signing test clients in, like a user of the console would: a server started by the fixtures
 * has a known admin password; `sessionHeaders` logs in as the admin, creates the named user
 * (admin on "/") when missing, signs in as that user and returns the cookie + CSRF headers.
 * Sessions are cached per server URL and user; a client that meets a 401 (e.g. a server
 * restarted on a fresh data dir) signs in again once. `apiToken` mints an SDK/API token.
 */
export const ADMIN_USER = "admin";
export const ADMIN_PASSWORD = "test-admin-password";
const USER_PASSWORD = "test-user-password";

export interface Session {
  cookie: string;
  csrf: string;
}

/** A tRPC HTTP answer, as far as tests read it (untyped JSON from the wire). */
export interface TrpcBody {
  result?: { data?: unknown };
  error?: { message?: string; data?: { conifer?: { code?: string; details?: Record<string, unknown> } } };
}

async function trpcCall(
  url: string,
  proc: string,
  input: unknown,
  session?: Session,
): Promise<{ status: number; body: TrpcBody | null; setCookie: string[] }> {
  const res = await fetch(`${url}/trpc/${proc}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(session ? { cookie: session.cookie, "x-csrf-token": session.csrf } : {}),
    },
    body: JSON.stringify(input ?? null),
  });
  const body = (await res.json().catch(() => null)) as TrpcBody | null;
  return { status: res.status, body, setCookie: res.headers.getSetCookie() };
}

/** Signs in; throws with the server's message when refused. */
export async function login(url: string, username: string, password: string): Promise<Session> {
  const r = await trpcCall(url, "auth.login", { username, password });
  if (r.status !== 200)
    throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.body?.error?.message ?? r.body)}`);
  const cookie = r.setCookie.map((c) => c.split(";")[0]).join("; ");
  return { cookie, csrf: (r.body?.result?.data as { csrfToken: string }).csrfToken };
}

/** Calls a mutation as `session`; returns the result data or throws. */
export async function mutate<T = unknown>(url: string, session: Session, proc: string, input: unknown): Promise<T> {
  const r = await trpcCall(url, proc, input, session);
  if (r.status !== 200)
    throw Object.assign(new Error(`${proc}: ${r.status} ${r.body?.error?.message ?? ""}`), {
      code: r.body?.error?.data?.conifer?.code,
    });
  return r.body?.result?.data as T;
}

/** Creates `username` (with these roles; default admin on "/") unless it exists; returns its password. */
export async function ensureUser(
  url: string,
  username: string,
  roles: { pathPrefix: string; role: string }[] = [{ pathPrefix: "/", role: "admin" }],
): Promise<string> {
  const admin = await login(url, ADMIN_USER, ADMIN_PASSWORD);
  try {
    await mutate(url, admin, "users.create", { username, password: USER_PASSWORD, roles });
  } catch (err) {
    if ((err as { code?: string }).code !== "ALREADY_EXISTS") throw err;
  }
  return USER_PASSWORD;
}

const sessions = new Map<string, Promise<Session>>();

/** Cookie + CSRF headers of a signed-in `username` (created as an admin when missing). */
export function sessionHeaders(url: string, username: string, fresh = false): Promise<Session> {
  const key = `${url} ${username}`;
  if (fresh) sessions.delete(key);
  let s = sessions.get(key);
  if (!s) {
    s = (async () =>
      username === ADMIN_USER
        ? login(url, ADMIN_USER, ADMIN_PASSWORD)
        : login(url, username, await ensureUser(url, username)))();
    s.catch(() => sessions.delete(key));
    sessions.set(key, s);
  }
  return s;
}

/**
 * A fetch for tRPC links that signs in as `username` and retries once after a 401 with a new
 * session (the server may have been restarted over a fresh data directory).
 */
export function authedFetch(url: string, username: string, extra: Record<string, string> = {}): typeof fetch {
  return async (input, init) => {
    for (let attempt = 0; ; attempt++) {
      const s = await sessionHeaders(url, username, attempt > 0);
      const headers = new Headers(init?.headers);
      headers.set("cookie", s.cookie);
      headers.set("x-csrf-token", s.csrf);
      for (const [k, v] of Object.entries(extra)) headers.set(k, v);
      const res = await fetch(input, { ...init, headers });
      if (res.status !== 401 || attempt > 0) return res;
    }
  };
}

/** Mints an API token as the admin. */
export async function apiToken(
  url: string,
  prefixes: string[] = ["/"],
  access: "read" | "read-write" = "read",
  name = `test-${Math.random().toString(36).slice(2, 8)}`,
): Promise<{ token: string; id: number }> {
  const admin = await sessionHeaders(url, ADMIN_USER);
  const r = await mutate<{ token: string; record: { id: number } }>(url, admin, "tokens.create", {
    name,
    prefixes,
    access,
  });
  return { token: r.token, id: r.record.id };
}

/** SDK tokens minted per server URL; SDKs pointed elsewhere (a proxy, a later port, a sibling server on the same database) use the latest. */
const sdkTokens = new Map<string, string>();
let latestToken: string | undefined;

/** Mints the read token the SDKs of a suite connect with (see `sdkToken`). */
export async function mintSdkToken(url: string): Promise<string> {
  const { token } = await apiToken(url, ["/"], "read", "sdk-e2e");
  sdkTokens.set(url, token);
  latestToken = token;
  return token;
}

export function sdkToken(url?: string): string | undefined {
  return (url ? sdkTokens.get(url) : undefined) ?? latestToken;
}
