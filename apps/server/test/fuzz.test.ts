/**
 * Hostile input: 1,200+ malformed requests (random bytes, wrong types, huge strings, bad paths,
 * bad JSON, wrong methods, unknown routes, odd content types) from signed-in and anonymous
 * callers, plus malformed socket.io messages. Every answer must be a clear 4xx, the server must
 * stay up, and neither the tree nor the history may change. Seeded, so a failure reproduces.
 */
import { appRouter } from "@conifer/api";
import type { ClientToServerEvents, ServerToClientEvents } from "@conifer/protocol";
import { connect, type Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { ADMIN_USER, apiToken, sessionHeaders, type Session } from "./auth.ts";
import { client } from "./helpers.ts";
import { useServer } from "./server-fixture.ts";

let server: RunningServer;
let admin: Session;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env["CONIFER_FUZZ_SEED"] ?? 20261122);
const rnd = mulberry32(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const int = (n: number) => Math.floor(rnd() * n);

const BAD_PATHS = [
  "/fz/../etc",
  "/fz/./x",
  "/fz/a\u0000b",
  "/fz/\u0001ctl",
  "/fz/a\u007f",
  "relative/path",
  "",
  "/fz//double",
  "/fz/trailing/",
  "/fz/\ud800lone",
  "/fz/\udc00lone",
  "/fz/\ufffdreplacement",
  `/${"x".repeat(5000)}`,
  "/fz/..",
  "..",
  "/fz/a\nb",
];

function randomString(max = 40): string {
  const alphabet = "abc/.\u0000\u0001\n\"'<>{}[]\\%$é日\ud83d\ude00 ";
  return Array.from({ length: int(max) }, () => pick(Array.from(alphabet))).join("");
}

function randomScalar(): unknown {
  return pick([
    () => int(1e6) - 5e5,
    () => -1,
    () => 1e308,
    () => randomString(),
    () => null,
    () => true,
    () => [],
    () => ({}),
    () => "1".repeat(30),
    () => NaN,
  ])();
}

/** A value for a field: fields that could make a mutation valid always get something invalid. */
function fieldValue(key: string): unknown {
  switch (key) {
    case "path":
    case "under":
    case "pathPrefix":
      return pick([...BAD_PATHS, 42, null, ["/a"]]);
    case "prefixes":
      return pick([[pick(BAD_PATHS)], [], "/", [1, 2]]);
    case "content":
      return pick([randomString(), "x".repeat(100_000 + int(1_000_000)), 7, null, { a: 1 }]);
    case "username":
      return pick(["bad name", "\u0000root", "", "x".repeat(200), 3]);
    case "password":
    case "current":
    case "next":
      return pick(["short", "", 5, null]);
    case "userId":
    case "id":
      return pick([1000 + int(1e6), -1, 0, "1", 1.5, String(1000 + int(1e6))]);
    default:
      return randomScalar();
  }
}

const KEYS = [
  "path",
  "content",
  "expectedVersion",
  "mode",
  "message",
  "recursive",
  "under",
  "query",
  "limit",
  "cursor",
  "id",
  "fromId",
  "toId",
  "since",
  "until",
  "author",
  "username",
  "password",
  "current",
  "next",
  "userId",
  "pathPrefix",
  "role",
  "prefixes",
  "access",
  "name",
  "disabled",
];

function randomInput(): unknown {
  if (rnd() < 0.2) return randomScalar();
  const o: Record<string, unknown> = {};
  for (let i = int(6); i >= 0; i--) {
    const k = rnd() < 0.9 ? pick(KEYS) : randomString(10);
    o[k] = fieldValue(k);
  }
  return o;
}

function randomBytes(n: number): Blob {
  return new Blob([Uint8Array.from({ length: n }, () => int(256))]);
}

/** encodeURIComponent, except that a lone surrogate becomes the invalid UTF-8 bytes it would be */
function enc(s: string): string {
  return s
    .split(/((?:[\uD800-\uDBFF](?![\uDC00-\uDFFF]))|(?:(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]))/)
    .map((part, i) => (i % 2 === 1 ? "%ED%A0%80" : encodeURIComponent(part)))
    .join("");
}

type Req = { method: string; path: string; headers?: Record<string, string>; body?: BodyInit };

function procedures(): { path: string; type: string }[] {
  const record = (appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: string } }> } })._def
    .procedures;
  // signing out would end the fuzzer's own session; it takes no input to fuzz anyway
  return Object.entries(record)
    .map(([path, p]) => ({ path, type: p._def.type }))
    .filter((p) => p.path !== "auth.logout");
}

/** Procedures whose input may be empty: for them an input is malformed only when it carries something. */
const OPTIONAL_INPUT = new Set([
  "auth.me",
  "users.list",
  "tokens.list",
  "tokens.settings",
  "cluster.info",
  "cluster.zookeeper",
  "instances.list",
  "audit.list",
  "audit.facets",
  "changes.list",
  "releases.list",
  "releases.policies",
]);

function inputFor(proc: string): unknown {
  if (!OPTIONAL_INPUT.has(proc)) return randomInput();
  return {
    [`${randomString(6)}_unknown`]: randomScalar(),
    ...(rnd() < 0.5 ? { limit: pick([0, -1, 1e9, "10"]) } : {}),
  };
}

function makeRequest(): Req {
  const procs = procedures();
  const p = pick(procs);
  const json = (v: unknown) => JSON.stringify(v);
  const kind = int(11);
  switch (kind) {
    case 0:
      return {
        method: "POST",
        path: `/trpc/${p.path}`,
        headers: { "content-type": "application/json" },
        body: randomBytes(1 + int(2000)),
      };
    case 1:
      return {
        method: "POST",
        path: `/trpc/${p.path}`,
        headers: { "content-type": "application/json" },
        body: pick(["{", "[1,2", '"unterminated', '{"path": }', "nul\u0000l", "{}}", "\xff\xfe", "1e99999"]),
      };
    case 2:
      return { method: "GET", path: `/trpc/${p.path}?input=${enc(json(inputFor(p.path)))}` };
    case 3:
      return {
        method: "POST",
        path: `/trpc/${p.path}`,
        headers: { "content-type": "application/json" },
        body: json(inputFor(p.path)),
      };
    case 4:
      return {
        method: pick(["PUT", "DELETE", "PATCH"]),
        path: `/trpc/${p.path}`,
        headers: { "content-type": "application/json" },
        body: json(randomInput()),
      };
    case 5:
      return {
        method: p.type === "mutation" ? "GET" : pick(["PUT", "DELETE"]),
        path: `/trpc/${p.path}?input=${enc(json(randomInput()))}`,
      };
    case 6:
      return {
        method: pick(["GET", "POST"]),
        path: pick([
          "/trpc/nope",
          "/trpc/config.nope",
          "/trpc/",
          "/trpc/..%2f..%2fetc",
          `/trpc/${randomString(8).replace(/[^a-z.]/g, "")}x`,
          "/api/v1/nope",
          "/api/v2/config",
        ]),
      };
    case 7:
      return { method: "GET", path: `/api/v1/config?path=${enc(pick(BAD_PATHS))}` };
    case 8:
      return { method: pick(["POST", "PUT", "DELETE"]), path: "/api/v1/config?path=/fz/a.json", body: "x" };
    case 9:
      return {
        method: "POST",
        path: `/trpc/${p.path}`,
        headers: {
          "content-type": pick([
            "text/plain",
            "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded",
            "application/octet-stream",
          ]),
        },
        body: pick(["a=b", "--x\r\n\r\n--x--", json(inputFor(p.path))]),
      };
    default: {
      const two = [pick(procs).path, pick(procs).path] as const;
      return {
        method: "GET",
        path: `/trpc/${two.join(",")}?batch=1&input=${enc(json({ 0: inputFor(two[0]), 1: inputFor(two[1]), 7: 1 }))}`,
      };
    }
  }
}

async function snapshot(): Promise<string> {
  const out: Record<string, unknown> = {};
  const walk = async (path: string): Promise<void> => {
    const listing = await server.conifer.config.children(path);
    for (const c of listing.children) {
      if (c.path.startsWith("/conifer") || c.path.startsWith("/zookeeper")) continue;
      const node = await server.conifer.config.get(c.path);
      out[c.path] = {
        data: node.data,
        mzxid: node.stat.mzxid,
        version: node.stat.version,
        history: (await server.history.list(c.path, { limit: 500 })).items.map((h) => h.id),
      };
      await walk(c.path);
    }
  };
  await walk("/");
  return JSON.stringify(out);
}

useServer({
  prefix: "conifer-fuzz-",
  ready: async (s) => {
    server = s;
    const api = client(server, "seeder");
    await api.config.create.mutate({ path: "/fz", content: "" });
    await api.config.create.mutate({ path: "/fz/a.json", content: '{"a":1}' });
    await api.config.update.mutate({ path: "/fz/a.json", content: '{"a":2}', expectedVersion: 0 });
    await api.config.create.mutate({ path: "/fz/b.yaml", content: "b: 1\n" });
    admin = await sessionHeaders(server.url, ADMIN_USER);
  },
});

describe("fuzz", () => {
  it("1,200 malformed requests get clear 4xx answers; the server stays up and nothing changes", async () => {
    const before = await snapshot();
    const bad: string[] = [];
    const statuses = new Map<number, number>();
    const N = 1200;
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < N; i = next++) {
        const req = makeRequest();
        // two thirds signed in (the checks behind authentication get exercised), the rest anonymous or forged
        const who: Record<string, string> =
          i % 3 === 2
            ? pick<Record<string, string>>([
                {},
                { cookie: "conifer_session=forged" },
                { authorization: "Bearer cnf_forged" },
              ])
            : { cookie: admin.cookie, "x-csrf-token": admin.csrf };
        let status: number;
        let text: string;
        try {
          const res = await fetch(server.url + req.path, {
            method: req.method,
            headers: { ...req.headers, ...who },
            ...(req.body !== undefined ? { body: req.body } : {}),
          });
          status = res.status;
          text = await res.text();
        } catch (err) {
          bad.push(`${req.method} ${req.path.slice(0, 120)} → network error ${(err as Error).message}`);
          continue;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        // a batch whose calls fail differently answers 207; fine when every call in it failed
        const allFailed207 =
          status === 207 &&
          (() => {
            try {
              const body = JSON.parse(text) as { error?: unknown }[];
              return Array.isArray(body) && body.every((b) => b.error);
            } catch {
              return false;
            }
          })();
        if (allFailed207) continue;
        if (status < 400 || status >= 500)
          bad.push(`${req.method} ${req.path.slice(0, 120)} → ${status} ${text.slice(0, 200)}`);
        else if (req.path.startsWith("/trpc/") || req.path.startsWith("/api/")) {
          // a clear error: JSON with a message (Node itself answers 431 for oversized headers)
          if (status !== 431 && status !== 414) {
            let message: unknown;
            try {
              type Answer = { error?: { message?: unknown; json?: { message?: unknown } } };
              const body = JSON.parse(text) as Answer | Answer[];
              const first = Array.isArray(body) ? body.find((b) => b.error)?.error : body.error;
              message = first?.message ?? first?.json?.message;
            } catch {
              message = undefined;
            }
            if (typeof message !== "string" || !message)
              bad.push(`${req.method} ${req.path.slice(0, 120)} → ${status} without a message: ${text.slice(0, 200)}`);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    expect(bad, `seed ${SEED}; statuses ${JSON.stringify([...statuses])}`).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(N);

    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect((await client(server, "seeder").config.get.query({ path: "/fz/a.json" })).data).toBe('{"a":2}');
    expect(await snapshot()).toBe(before);
  }, 600_000);

  it("malformed socket.io messages get error acks and change nothing", async () => {
    const before = await snapshot();
    const { token } = await apiToken(server.url, ["/"], "read");
    const s: Socket<ServerToClientEvents, ClientToServerEvents> = connect(server.url, {
      path: "/socket.io",
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
      auth: { token },
    });
    try {
      await new Promise<void>((resolve, reject) => {
        s.once("connect", () => resolve());
        s.once("connect_error", reject);
      });
      const events = ["hello", "subscribe", "unsubscribe", "fetch", "watchTree"] as const;
      for (let i = 0; i < 300; i++) {
        const e = pick(events);
        const payload =
          rnd() < 0.3
            ? randomScalar()
            : {
                paths: pick([[pick(BAD_PATHS)], pick(BAD_PATHS), [1]]),
                path: pick(BAD_PATHS),
                instanceId: randomScalar(),
                app: randomScalar(),
              };
        const ack = await new Promise<{ ok: boolean; error?: { code: string } }>((resolve) =>
          (s.emit as (e: string, p: unknown, a: (r: never) => void) => void)(e, payload, resolve),
        );
        expect(ack.ok, `${e} ${JSON.stringify(payload).slice(0, 100)}`).toBe(false);
        expect(["INVALID_INPUT", "INVALID_PATH", "FORBIDDEN"]).toContain(ack.error?.code);
      }
      // oversize message: the transport refuses it (socket dropped), the server carries on
      const dropped = new Promise<string>((resolve) => s.once("disconnect", (r) => resolve(r)));
      (s.emit as (e: string, p: unknown) => void)("fetch", { path: `/${"x".repeat(2_000_000)}` });
      expect(await dropped).toMatch(/transport/);
    } finally {
      s.disconnect();
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await snapshot()).toBe(before);
  }, 300_000);
});
