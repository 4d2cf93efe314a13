/**
 * Watching over plain HTTP against a real server (embedded engine + SQLite): long-poll answers at
 * once when a path already moved, on a publish while held, 304 on timeout; 2,000 held long-polls
 * on one server all answered by one publish (memory and time printed, not asserted); SSE for a
 * prefix resumed with Last-Event-ID misses nothing (a change, a create and a delete made while
 * disconnected); the Python example keeps its dict current (skipped without python3).
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { ADMIN_USER, apiToken } from "./auth.ts";
import { client, type Client } from "./helpers.ts";
import { useServer } from "./server-fixture.ts";

let server: RunningServer;
let admin: Client;
let token: string;

useServer({
  prefix: "conifer-api-v1-watch-",
  ready: async (s) => {
    server = s;
    admin = client(server, ADMIN_USER);
    await admin.config.create.mutate({ path: "/w", content: "" });
    for (const k of ["a", "b", "many"]) await admin.config.create.mutate({ path: `/w/${k}.json`, content: '{"v":0}' });
    token = (await apiToken(server.url, ["/w"], "read")).token;
  },
});

const auth = () => ({ authorization: `Bearer ${token}` });

async function mzxidOf(path: string): Promise<string> {
  return (await admin.config.get.query({ path })).stat.mzxid;
}

async function publish(path: string, content: string): Promise<void> {
  const now = await admin.config.get.query({ path });
  await admin.config.update.mutate({ path, content, expectedVersion: now.stat.version });
}

async function held(): Promise<number> {
  const health = (await (await fetch(`${server.url}/healthz`)).json()) as { watch: { held: number } };
  return health.watch.held;
}

function watch(query: string): Promise<Response> {
  return fetch(`${server.url}/api/v1/watch?${query}`, { headers: auth() });
}

describe("long-poll watch", () => {
  it("answers at once with what already moved, on a publish while held, and 304 on timeout", async () => {
    const a = await mzxidOf("/w/a.json");
    const b = await mzxidOf("/w/b.json");
    // a stale mzxid: answered at once
    const stale = await watch(`path=/w/a.json&path=/w/b.json&mzxid=1&mzxid=${b}`);
    expect(stale.status).toBe(200);
    expect(((await stale.json()) as { changes: { path: string }[] }).changes.map((c) => c.path)).toEqual(["/w/a.json"]);

    // nothing moved: 304 after the timeout
    expect((await watch(`path=/w/a.json&mzxid=${a}&timeout=1`)).status).toBe(304);

    // held, then answered by the publish
    const pending = watch(`path=/w/a.json&path=/w/b.json&mzxid=${a}&mzxid=${b}&timeout=60`);
    await vi.waitFor(async () => expect(await held()).toBe(1));
    await publish("/w/b.json", '{"v":1}');
    const res = await pending;
    expect(res.status).toBe(200);
    const body = (await res.json()) as { changes: { path: string; mzxid: string; version: number }[] };
    expect(body.changes).toEqual([{ path: "/w/b.json", exists: true, version: 1, mzxid: await mzxidOf("/w/b.json") }]);
    expect(await held()).toBe(0);
  });

  it("2,000 held long-polls on one server, all answered by one publish", async () => {
    const N = 2000;
    const m = await mzxidOf("/w/many.json");
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    const all = Array.from({ length: N }, () => watch(`path=/w/many.json&mzxid=${m}&timeout=60`));
    await vi.waitFor(async () => expect(await held()).toBe(N), { timeout: 170_000, interval: 250 });
    const heldAfter = performance.now() - t0;
    const heldRss = process.memoryUsage().rss;
    const t1 = performance.now();
    await publish("/w/many.json", '{"v":1}');
    const answers = await Promise.all(all);
    const answered = performance.now() - t1;
    expect(answers.every((r) => r.status === 200)).toBe(true);
    await Promise.all(answers.map((r) => r.arrayBuffer()));
    console.log(
      `[watch] ${N} held in ${heldAfter.toFixed(0)} ms, rss +${((heldRss - before) / 1048576).toFixed(1)} MiB ` +
        `(client and server in one process); one publish answered all in ${answered.toFixed(0)} ms`,
    );
    expect(await held()).toBe(0);
  }, 240_000);
});

interface SseEvent {
  id?: string;
  event: string;
  data: { path?: string; exists?: boolean; mzxid?: string; paths?: string[] };
}

/** An SSE connection read event by event (fetch + a small parser of the text/event-stream frames). */
function sse(prefix: string, lastEventId?: string) {
  const ctl = new AbortController();
  const events: SseEvent[] = [];
  const done = (async () => {
    const res = await fetch(`${server.url}/api/v1/events?prefix=${encodeURIComponent(prefix)}`, {
      headers: { ...auth(), ...(lastEventId ? { "last-event-id": lastEventId } : {}) },
      signal: ctl.signal,
    });
    expect(res.status).toBe(200);
    const decoder = new TextDecoder();
    let buf = "";
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      buf += decoder.decode(r.value, { stream: true });
      let at: number;
      while ((at = buf.indexOf("\n\n")) >= 0) {
        const frame = buf.slice(0, at);
        buf = buf.slice(at + 2);
        const ev: SseEvent = { event: "message", data: {} };
        for (const line of frame.split("\n")) {
          const [k, ...rest] = line.split(": ");
          const v = rest.join(": ");
          if (k === "id") ev.id = v;
          else if (k === "event") ev.event = v;
          else if (k === "data") ev.data = JSON.parse(v) as SseEvent["data"];
        }
        events.push(ev);
      }
    }
  })().catch((err: unknown) => {
    if ((err as Error).name !== "AbortError") throw err;
  });
  /** the id a browser's EventSource would resume from: the last one received */
  const lastId = () => events.filter((e) => e.id !== undefined).at(-1)?.id;
  return { events, lastId, close: () => ctl.abort(), done };
}

describe("SSE for a prefix", () => {
  it("a reconnect with Last-Event-ID misses nothing: changes, creates and deletes made while away", async () => {
    await admin.config.create.mutate({ path: "/w/sse", content: "" });
    for (const k of ["x", "y", "z"]) await admin.config.create.mutate({ path: `/w/sse/${k}.json`, content: '{"n":0}' });
    const first = sse("/w/sse");
    await vi.waitFor(() => expect(first.events.some((e) => e.event === "sync")).toBe(true));
    // a fresh connection starts with every key, then `sync` listing what exists
    const sync = first.events.find((e) => e.event === "sync");
    expect(sync?.data.paths?.sort()).toEqual(["/w/sse", "/w/sse/x.json", "/w/sse/y.json", "/w/sse/z.json"]);
    await publish("/w/sse/x.json", '{"n":1}');
    await vi.waitFor(() =>
      expect(first.events.some((e) => e.event === "changed" && e.data.path === "/w/sse/x.json" && e.id)).toBe(true),
    );
    const resumeFrom = first.lastId();
    first.close();
    await first.done;

    // while away: a change, a create and a delete
    await publish("/w/sse/y.json", '{"n":1}');
    await admin.config.create.mutate({ path: "/w/sse/new.json", content: '{"n":0}' });
    const z = await admin.config.get.query({ path: "/w/sse/z.json" });
    await admin.config.delete.mutate({ path: "/w/sse/z.json", expectedVersion: z.stat.version });

    const second = sse("/w/sse", resumeFrom);
    await vi.waitFor(() => expect(second.events.some((e) => e.event === "sync")).toBe(true));
    const caughtUp = second.events.filter((e) => e.event === "changed").map((e) => e.data.path);
    expect(caughtUp).toContain("/w/sse/y.json");
    expect(caughtUp).toContain("/w/sse/new.json");
    expect(caughtUp).not.toContain("/w/sse/x.json"); // already seen before the disconnect
    const paths = second.events.find((e) => e.event === "sync")?.data.paths ?? [];
    expect(paths).not.toContain("/w/sse/z.json");
    expect(paths).toContain("/w/sse/new.json");
    // and live after the catch-up, in order
    await publish("/w/sse/x.json", '{"n":2}');
    const mx = await mzxidOf("/w/sse/x.json");
    await vi.waitFor(() =>
      expect(
        second.events.some((e) => e.event === "changed" && e.data.path === "/w/sse/x.json" && e.data.mzxid === mx),
      ).toBe(true),
    );
    const ids = second.events.filter((e) => e.id !== undefined).map((e) => BigInt(e.id ?? "0"));
    expect([...ids].sort((p, q) => (p < q ? -1 : p > q ? 1 : 0))).toEqual(ids);
    second.close();
    await second.done;
  });
});

const hasPython = spawnSync("python3", ["--version"]).status === 0;
const example = fileURLToPath(new URL("../../../examples/python/keep_current.py", import.meta.url));

describe("the Python long-poll example", () => {
  it("is the one README shows", () => {
    const readme = readFileSync(fileURLToPath(new URL("../../../README.md", import.meta.url)), "utf8");
    expect(readme).toContain(readFileSync(example, "utf8"));
  });

  it.skipIf(!hasPython)(
    hasPython ? "keeps a dict current" : "SKIPPED: python3 is not installed",
    async () => {
      const child = spawn("python3", [example, "/w/a.json", "/w/py.json"], {
        env: { ...process.env, CONIFER_URL: server.url, CONIFER_TOKEN: token, CONIFER_WATCH_TIMEOUT: "60" },
        stdio: ["ignore", "pipe", "inherit"],
      });
      const states: Record<string, string | null>[] = [];
      createInterface({ input: child.stdout }).on("line", (l) =>
        states.push(JSON.parse(l) as Record<string, string | null>),
      );
      try {
        await vi.waitFor(() => expect(states.length).toBeGreaterThan(0), { timeout: 20_000 });
        expect(states[0]?.["/w/py.json"]).toBeNull();
        await vi.waitFor(async () => expect(await held()).toBeGreaterThan(0), { timeout: 20_000 });
        await publish("/w/a.json", '{"v":"from python test"}');
        await vi.waitFor(() => expect(states.at(-1)?.["/w/a.json"]).toBe('{"v":"from python test"}'), {
          timeout: 20_000,
        });
        await admin.config.create.mutate({ path: "/w/py.json", content: '{"born":true}' });
        await vi.waitFor(() => expect(states.at(-1)?.["/w/py.json"]).toBe('{"born":true}'), { timeout: 20_000 });
      } finally {
        child.kill();
      }
    },
    60_000,
  );
});
