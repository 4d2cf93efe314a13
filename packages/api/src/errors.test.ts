/**
 * The error mapping, end to end through the real router and errorFormatter: domain and backend
 * errors must reach clients with the right tRPC code and `data.conifer = { code, message, details }`.
 * The Conifer instance is a stub: these are unit tests of the edge, not of the domain.
 */
import {
  CONFIG_ERROR_CODES,
  ConfigError,
  ERROR_TRANSPORT,
  toConfigError,
  type AuthService,
  type Conifer,
} from "@conifer/core";
import { CoordinatorError } from "@conifer/coordinator";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { appRouter } from "./root.ts";
import type { Context } from "./context.ts";
import { errorBody, toTRPCError } from "./errors.ts";
import { createCallerFactory } from "./trpc.ts";

function callerThrowing(err: Error) {
  const fail = () => Promise.reject(err);
  const conifer = {
    config: { get: fail, update: fail, children: fail, validate: fail, create: fail, delete: fail },
    history: { list: fail },
    // config.get reads through the scoped view (its child count is what the caller is shown)
    read: fail,
  } as unknown as Conifer;
  // an editor-level API token: authorized, so the stubbed domain's error is what comes back
  const ctx: Context = {
    conifer,
    auth: {} as unknown as AuthService,
    actor: { author: "token:t", source: "api" },
    principal: { kind: "token", tokenId: 1, name: "t", prefixes: ["/"], access: "read-write" },
    via: "token",
    csrfOk: true,
    sameOrigin: true,
    secure: false,
    setCookies: () => {},
  };
  return createCallerFactory(appRouter)(ctx);
}

async function caught(p: Promise<unknown>): Promise<TRPCError> {
  try {
    await p;
  } catch (err) {
    return err as TRPCError;
  }
  throw new Error("expected a failure");
}

describe("error mapping", () => {
  it("maps every ConfigError code to a tRPC code", () => {
    for (const code of CONFIG_ERROR_CODES) expect(ERROR_TRANSPORT[code].trpc).toBeTruthy();
  });

  it("CONFLICT keeps current version and content in data.conifer", async () => {
    const err = new ConfigError("CONFLICT", "/a.json changed", {
      currentVersion: 3,
      currentContent: "{}",
      currentStat: null,
    });
    const e = await caught(callerThrowing(err).config.update({ path: "/a.json", content: "{}", expectedVersion: 1 }));
    expect(e).toBeInstanceOf(TRPCError);
    expect(e.code).toBe("CONFLICT");
    expect(getHTTPStatusCodeFromError(e)).toBe(409);
    expect(errorBody(e)).toEqual({
      code: "CONFLICT",
      message: "/a.json changed",
      details: { currentVersion: 3, currentContent: "{}", currentStat: null },
    });
  });

  it("INVALID_CONTENT is a BAD_REQUEST with line and column", async () => {
    const err = new ConfigError("INVALID_CONTENT", "Invalid JSON at line 3, column 7: Unexpected token }", {
      format: "json",
      line: 3,
      column: 7,
    });
    const e = await caught(callerThrowing(err).config.update({ path: "/a.json", content: "{", expectedVersion: 0 }));
    expect(e.code).toBe("BAD_REQUEST");
    expect(errorBody(e).details).toMatchObject({ line: 3, column: 7 });
  });

  it("TOO_LARGE → PAYLOAD_TOO_LARGE (413)", () => {
    const e = toTRPCError(new ConfigError("TOO_LARGE", "too big", { size: 10, limit: 5 }));
    expect(e.code).toBe("PAYLOAD_TOO_LARGE");
    expect(getHTTPStatusCodeFromError(e)).toBe(413);
  });

  it("backend errors are translated: NO_NODE → NOT_FOUND, CONNECTION_LOSS → SERVICE_UNAVAILABLE", async () => {
    const e = await caught(callerThrowing(new CoordinatorError("NO_NODE", undefined, "/x")).config.get({ path: "/x" }));
    expect(e.code).toBe("NOT_FOUND");
    expect(errorBody(e).code).toBe("NOT_FOUND");
    const e2 = toTRPCError(toConfigError(new CoordinatorError("CONNECTION_LOSS")));
    expect(e2.code).toBe("SERVICE_UNAVAILABLE");
    expect(errorBody(e2).code).toBe("BACKEND_UNAVAILABLE");
  });

  it("input validation failures carry a readable conifer message", async () => {
    const e = await caught(
      callerThrowing(new Error("unused")).config.update({
        path: "/a",
        content: "x",
        expectedVersion: "one" as unknown as number,
      }),
    );
    expect(e.code).toBe("BAD_REQUEST");
    const data = errorBody(e);
    expect(data.code).toBe("INVALID_INPUT");
    expect(data.message).toMatch(/expectedVersion/);
  });

  it("unknown errors become INTERNAL without leaking as something else", async () => {
    const e = await caught(callerThrowing(new Error("boom")).config.get({ path: "/x" }));
    expect(e.code).toBe("INTERNAL_SERVER_ERROR");
    expect(errorBody(e).code).toBe("INTERNAL");
    expect(toConfigError("weird").code).toBe("INTERNAL");
  });

  it("history store failures: bad cursor → BAD_REQUEST, database down → SERVICE_UNAVAILABLE", () => {
    const historyError = (code: string) => Object.assign(new Error(`history ${code}`), { name: "HistoryError", code });
    expect(toTRPCError(toConfigError(historyError("INVALID_CURSOR"))).code).toBe("BAD_REQUEST");
    expect(toConfigError(historyError("INVALID_CURSOR")).code).toBe("INVALID_INPUT");
    const down = toTRPCError(toConfigError(historyError("UNAVAILABLE")));
    expect(down.code).toBe("SERVICE_UNAVAILABLE");
    expect(errorBody(down).code).toBe("BACKEND_UNAVAILABLE");
  });
});

describe("the one table", () => {
  it("each code's HTTP status is the one tRPC gives its tRPC code", () => {
    for (const code of CONFIG_ERROR_CODES) {
      const e = toTRPCError(new ConfigError(code, code));
      expect(getHTTPStatusCodeFromError(e), code).toBe(ERROR_TRANSPORT[code].http);
    }
  });
});
