/** The security-relevant environment: first-start admin, backend digest, trusted proxy. */
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { configFromEnv, readEnv } from "./env.ts";
import { clientIp } from "./http.ts";

const env = (vars: Record<string, string>) => readEnv(vars as NodeJS.ProcessEnv);

describe("env", () => {
  it("reads the admin bootstrap, digest and proxy settings; an empty password means generate one", () => {
    const c = configFromEnv(
      env({ CONIFER_ADMIN_PASSWORD: "long-enough", CONIFER_BACKEND_DIGEST: "conifer:pw", CONIFER_TRUST_PROXY: "true" }),
    );
    expect(c).toMatchObject({
      adminUser: "admin",
      adminPassword: "long-enough",
      backendDigest: "conifer:pw",
      trustProxy: true,
    });
    expect(configFromEnv(env({ CONIFER_ADMIN_PASSWORD: "" })).adminPassword).toBeUndefined();
    expect(() => env({ CONIFER_ADMIN_PASSWORD: "short" })).toThrow(/at least 8/);
    expect(() => env({ CONIFER_BACKEND_DIGEST: "nocolon" })).toThrow(/user:password/);
  });
  it("checks the backend URL with the one parser, whose message says what is accepted", () => {
    expect(configFromEnv(env({})).backendUrl).toBe("embedded:");
    const zk = "zookeeper://conifer:pw@h1:2181,h2/conifer";
    expect(configFromEnv(env({ CONIFER_BACKEND_URL: zk })).backendUrl).toBe(zk);
    expect(() => env({ CONIFER_BACKEND_URL: "zk://h1:2181" })).toThrow(
      /CONIFER_BACKEND_URL: Unsupported backend URL "zk:\/\/h1:2181": use "embedded:" or zookeeper:\/\//,
    );
    expect(() => env({ CONIFER_BACKEND_URL: "zookeeper://conifer@h1" })).toThrow(/user:password/);
  });
  it("trusts X-Forwarded-For only when told to", () => {
    const req = {
      headers: { "x-forwarded-for": "203.0.113.7, 10.0.0.2" },
      socket: { remoteAddress: "10.0.0.2" },
    } as unknown as IncomingMessage;
    expect(clientIp(req, false)).toBe("10.0.0.2");
    expect(clientIp(req, true)).toBe("203.0.113.7");
  });
});
