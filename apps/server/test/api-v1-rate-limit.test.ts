/**
 * The per-credential rate limit of /api/v1 on a real server started with a small limit: a token
 * over it is answered 429 with Retry-After, in the one error shape; another token is not slowed.
 */
import { describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { apiToken } from "./auth.ts";
import { rest } from "./rest.ts";
import { useServer } from "./server-fixture.ts";

let server: RunningServer;

useServer({
  prefix: "conifer-api-v1-limit-",
  config: { apiRateLimit: 3 },
  ready: (s) => {
    server = s;
  },
});

describe("per-token rate limit", () => {
  it("answers 429 with Retry-After once a token is over its limit; another token goes on", async () => {
    const [busy, other] = [(await apiToken(server.url)).token, (await apiToken(server.url)).token];
    for (let i = 0; i < 3; i++)
      expect((await rest(server.url, "GET", "/api/v1/children?path=/", { token: busy })).status).toBe(200);
    const res = await fetch(`${server.url}/api/v1/children?path=/`, { headers: { authorization: `Bearer ${busy}` } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await res.json()) as { error: { code: string; details: { retryAfterMs: number } } };
    expect(body.error.code).toBe("RATE_LIMITED");
    expect(body.error.details.retryAfterMs).toBeGreaterThan(0);
    expect((await rest(server.url, "GET", "/api/v1/children?path=/", { token: other })).status).toBe(200);
  });
});
