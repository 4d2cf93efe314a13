/**
 * Watching over plain HTTP, for any language: long-poll (`GET /api/v1/watch`) and Server-Sent
 * Events for a prefix (`GET /api/v1/events`). Both hang off ONE listener on the server's change
 * feed (itself one recursive backend watch), so a held request costs a map entry and a timer,
 * never a backend watch. The feed announces each path's changes once, in mzxid order.
 *
 * SSE resume: each event's id is the zxid of its change. On (re)connect with Last-Event-ID = L,
 * the live listener is attached first, then the subtree is read and every key whose mzxid is
 * above L is sent (its current version), then a `sync` event lists the paths that exist now (so a
 * client drops keys deleted while it was away) and carries as id the highest zxid the feed had
 * announced before the walk (or L when higher): every change after it is either in the walk or in
 * the live events that follow, so resuming from any id received never misses a change's outcome.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createContext } from "@conifer/api";
import { isWithin } from "@conifer/coordinator";
import { authorize, ConfigError, toConfigError, type Conifer } from "@conifer/core";
import type { ChangeNotice, VersionInfo } from "@conifer/protocol";
import { isHttps } from "../security-headers.ts";
import type { RateLimiter } from "./rate-limit.ts";
import { errorAnswer, limitKey } from "./serve.ts";

type Send = (res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>) => void;

const MAX_PATHS = 200;
const MAX_HOLD_S = 60;

interface Waiter {
  /** path → the mzxid the client has */
  since: Map<string, string>;
  done(changes: VersionInfo[]): void;
}

interface Stream {
  prefix: string;
  send(n: ChangeNotice): void;
}

const info = (n: VersionInfo): VersionInfo => ({ path: n.path, exists: n.exists, version: n.version, mzxid: n.mzxid });

export class WatchHub {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly streams = new Set<Stream>();
  /** the highest zxid announced by the feed so far */
  private announced = 0n;
  private readonly unlisten: () => void;

  constructor(
    private readonly conifer: Conifer,
    private readonly limiter: RateLimiter,
    private readonly send: Send,
  ) {
    this.unlisten = conifer.listen({ changed: (n) => this.onChanged(n) });
  }

  /** held long-polls (for tests and metrics) */
  get held(): number {
    const all = new Set<Waiter>();
    for (const set of this.waiters.values()) for (const w of set) all.add(w);
    return all.size;
  }

  stop(): void {
    this.unlisten();
  }

  private onChanged(n: ChangeNotice): void {
    const z = BigInt(n.zxid);
    if (z > this.announced) this.announced = z;
    const set = this.waiters.get(n.path);
    if (set) for (const w of [...set]) if (w.since.get(n.path) !== n.mzxid) w.done([info(n)]);
    for (const s of this.streams) if (isWithin(n.path, s.prefix)) s.send(n);
  }

  private async principal(req: IncomingMessage, ip: string | undefined) {
    const ctx = await createContext({ conifer: this.conifer, headers: req.headers, ip, secure: isHttps(req) });
    if (!ctx.principal)
      throw new ConfigError("UNAUTHENTICATED", ctx.refusal ?? "Send Authorization: Bearer <API token>");
    const wait = this.limiter.take(limitKey(ctx.principal, ip));
    if (wait > 0)
      throw new ConfigError("RATE_LIMITED", "too many requests for this credential", { retryAfterMs: wait });
    return ctx.principal;
  }

  private fail(res: ServerResponse, err: unknown): void {
    const error = toConfigError(err);
    const { status, body } = errorAnswer(error);
    const wait = error.code === "RATE_LIMITED" ? (error.details as { retryAfterMs: number }).retryAfterMs : 0;
    this.send(res, status, body, wait ? { "retry-after": String(Math.ceil(wait / 1000)) } : {});
  }

  /** GET /api/v1/watch?path=…&path=…&mzxid=…&mzxid=…&timeout=… */
  async longPoll(req: IncomingMessage, url: URL, res: ServerResponse, ip: string | undefined): Promise<void> {
    let waiter: Waiter | undefined;
    try {
      const principal = await this.principal(req, ip);
      const paths = url.searchParams.getAll("path");
      const mzxids = url.searchParams.getAll("mzxid");
      if (paths.length === 0 || paths.length > MAX_PATHS)
        throw new ConfigError("INVALID_INPUT", `give 1 to ${MAX_PATHS} path parameters`);
      if (mzxids.length > 1 && mzxids.length !== paths.length)
        throw new ConfigError("INVALID_INPUT", "give one mzxid for all paths or one per path, in the same order");
      if (mzxids.some((m) => !/^\d{1,20}$/.test(m)))
        throw new ConfigError("INVALID_INPUT", "mzxid must be a decimal zxid");
      const t = url.searchParams.get("timeout");
      const timeout = t === null ? MAX_HOLD_S : Number(t);
      if (!Number.isFinite(timeout) || timeout < 0 || timeout > MAX_HOLD_S)
        throw new ConfigError("INVALID_INPUT", `timeout is 0 to ${MAX_HOLD_S} seconds`);
      for (const p of paths) authorize(principal, "read", p);
      const since = new Map(paths.map((p, i) => [p, mzxids[i] ?? mzxids[0] ?? ""]));

      let timer: NodeJS.Timeout | undefined;
      const w: Waiter = {
        since,
        done: (changes) => {
          if (waiter !== w) return;
          waiter = undefined;
          this.drop(w);
          clearTimeout(timer);
          if (changes.length > 0) this.send(res, 200, { changes });
          else {
            res.writeHead(304, { "cache-control": "no-store" });
            res.end();
          }
        },
      };
      // attached before the current versions are read, so a change in between is not lost
      waiter = w;
      for (const p of since.keys()) {
        let set = this.waiters.get(p);
        if (!set) this.waiters.set(p, (set = new Set()));
        set.add(w);
      }
      req.once("close", () => {
        if (waiter === w) {
          waiter = undefined;
          this.drop(w);
          clearTimeout(timer);
        }
      });
      const now = await Promise.all([...since.keys()].map((p) => this.conifer.version(p)));
      const moved = now.filter((v) => since.get(v.path) !== v.mzxid).map(info);
      if (moved.length > 0 || timeout === 0) {
        w.done(moved);
        return;
      }
      if (waiter === w) timer = setTimeout(() => w.done([]), timeout * 1000);
    } catch (err) {
      if (waiter) this.drop(waiter);
      this.fail(res, err);
    }
  }

  private drop(w: Waiter): void {
    for (const p of w.since.keys()) {
      const set = this.waiters.get(p);
      set?.delete(w);
      if (set?.size === 0) this.waiters.delete(p);
    }
  }

  /** GET /api/v1/events?prefix=… (Last-Event-ID header or lastEventId parameter to resume) */
  async events(req: IncomingMessage, url: URL, res: ServerResponse, ip: string | undefined): Promise<void> {
    let stream: Stream | undefined;
    try {
      const principal = await this.principal(req, ip);
      const prefix = url.searchParams.get("prefix");
      if (!prefix) throw new ConfigError("INVALID_INPUT", "query parameter prefix is required, e.g. ?prefix=/app");
      authorize(principal, "read", prefix);
      const last = (req.headers["last-event-id"] as string | undefined) ?? url.searchParams.get("lastEventId") ?? "0";
      if (!/^\d{1,20}$/.test(last)) throw new ConfigError("INVALID_INPUT", "Last-Event-ID must be a zxid");
      const since = BigInt(last);

      // live events wait in `pending` until the catch-up is written
      let pending: ChangeNotice[] | null = [];
      const write = (n: ChangeNotice) =>
        res.write(`id: ${n.zxid}\nevent: changed\ndata: ${JSON.stringify(info(n))}\n\n`);
      const s: Stream = {
        prefix,
        send: (n) => {
          if (pending) pending.push(n);
          else write(n);
        },
      };
      stream = s;
      const mark = this.announced;
      this.streams.add(s);
      req.once("close", () => this.streams.delete(s));

      const nodes = await this.walk(principal, prefix);
      res.writeHead(200, {
        "content-type": "text/event-stream",
        "cache-control": "no-store",
        "x-accel-buffering": "no",
      });
      const sentAt = new Map<string, string>();
      for (const n of nodes
        .filter((v) => BigInt(v.mzxid) > since)
        .sort((a, b) => (BigInt(a.mzxid) < BigInt(b.mzxid) ? -1 : 1))) {
        sentAt.set(n.path, n.mzxid);
        res.write(`event: changed\ndata: ${JSON.stringify(n)}\n\n`);
      }
      const syncId = mark > since ? mark : since;
      res.write(`id: ${syncId}\nevent: sync\ndata: ${JSON.stringify({ paths: nodes.map((n) => n.path) })}\n\n`);
      const buffered = pending;
      pending = null;
      for (const n of buffered) if (sentAt.get(n.path) !== n.mzxid || !n.exists) write(n);
    } catch (err) {
      if (stream) this.streams.delete(stream);
      if (res.headersSent) res.end();
      else this.fail(res, err);
    }
  }

  /** Every key under `prefix` the principal may see, with where it stands. */
  private async walk(principal: Parameters<Conifer["browse"]>[0], prefix: string): Promise<VersionInfo[]> {
    const out: VersionInfo[] = [];
    const visit = async (path: string): Promise<void> => {
      let listing;
      try {
        listing = await this.conifer.browse(principal, path);
      } catch (err) {
        if (err instanceof ConfigError && err.code === "NOT_FOUND") return;
        throw err;
      }
      if (path !== "/") out.push({ path, exists: true, version: listing.stat.version, mzxid: listing.stat.mzxid });
      for (const c of listing.children) {
        if (c.stat.numChildren > 0) await visit(c.path);
        else out.push({ path: c.path, exists: true, version: c.stat.version, mzxid: c.stat.mzxid });
      }
    };
    await visit(prefix);
    return out;
  }
}
