/**
 * The REST read endpoint answers failures from core's one table, like tRPC does: every code
 * gets its status (the old table here had 6 of 13 codes; the others fell to 500). The Conifer
 * facade is a stub: this is a unit test of the edge, not of the domain.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CONFIG_ERROR_CODES, ConfigError, ERROR_TRANSPORT, type Conifer } from "@conifer/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRequestHandler } from "./http.ts";

let failWith: unknown;
let server: Server;
let url: string;

beforeAll(async () => {
  const conifer = {
    auth: {
      tokens: {
        check: () =>
          Promise.resolve({ principal: { kind: "token", tokenId: 1, name: "t", prefixes: ["/"], access: "read" } }),
      },
    },
    fetch: () => Promise.reject(failWith instanceof Error ? failWith : new Error(String(failWith))),
  } as unknown as Conifer;
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  server = createServer(createRequestHandler(conifer, () => () => {}, quiet));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function read(): Promise<{ status: number; body: { error: { code: string; message: string } } }> {
  const res = await fetch(`${url}/api/v1/config?path=/a.json`, { headers: { authorization: "Bearer cnf_x" } });
  return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
}

describe("REST errors", () => {
  it("every ConfigError code gets the table's status and its code in the body", async () => {
    for (const code of CONFIG_ERROR_CODES) {
      failWith = new ConfigError(code, `failed with ${code}`);
      const { status, body } = await read();
      expect(status, code).toBe(ERROR_TRANSPORT[code].http);
      expect(body.error, code).toEqual({ code, message: `failed with ${code}` });
    }
  });

  it("the codes the old REST table lacked: 409, 413, 412, 429", async () => {
    const cases = [
      ["CONFLICT", 409],
      ["ALREADY_EXISTS", 409],
      ["INVALID_CONTENT", 400],
      ["TOO_LARGE", 413],
      ["NOT_EMPTY", 412],
      ["RATE_LIMITED", 429],
    ] as const;
    for (const [code, status] of cases) {
      failWith = new ConfigError(code, code);
      expect((await read()).status, code).toBe(status);
    }
  });
});
