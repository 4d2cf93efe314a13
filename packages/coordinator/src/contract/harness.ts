/**
 * What a backend under test provides to the contract suite, and the small per-test toolkit the
 * cases share: a unique base path per test, sessions closed and nodes removed afterwards,
 * event recorders that are polled with deadlines (never fixed sleeps, never durations).
 */
import { inspect } from "node:util";
import { expect, onTestFinished, vi } from "vitest";
import type { Backend, Session, SessionOptions } from "../coordinator.ts";
import { CoordinatorError, type ErrorCodeName } from "../errors.ts";
import type { WatchEvent, Watcher } from "../types.ts";

export interface ContractHarness {
  /** a backend; may be shared across tests — every test works under its own unique base path */
  backend(): Promise<Backend>;
  /** optional: a FRESH backend (new data dir / fresh ensemble state) for the few cases about the pristine root; cases skip when absent */
  freshBackend?(): Promise<{ backend: Backend; dispose(): Promise<void> }>;
  /**
   * optional: make the backend expire `session` as if its client had stopped heartbeating
   * (ZooKeeper: cut the connection and hold back reconnects for longer than the timeout).
   * Resolves once the expiry is under way; the session must then report "expired" through
   * onStateChange. The session-expiry cases skip when absent.
   */
  expireSession?(session: Session): Promise<void>;
  capabilities: {
    ttl: boolean;
    /** tick in ms for expiry timing */
    tickMs: number;
    /** can a test force a session to expire quickly (e.g. a short session timeout) */
    shortSessionTimeoutMs: number;
  };
}

/** ceiling for anything a test waits for; only hit when the backend is broken or hung */
export const WAIT_CEILING_MS = 30_000;

export async function until<T>(
  what: string | (() => string),
  probe: () => T | Promise<T>,
  ceilingMs = WAIT_CEILING_MS,
): Promise<NonNullable<T>> {
  let last: unknown;
  try {
    return await vi.waitFor(
      async () => {
        let v: T;
        try {
          v = await probe();
        } catch (err) {
          last = err;
          throw err;
        }
        if (!v) throw new Error("not yet");
        return v;
      },
      { timeout: ceilingMs, interval: 25 },
    );
  } catch {
    throw new Error(
      `timed out waiting for ${typeof what === "string" ? what : what()}${last ? ` (last error: ${last instanceof Error ? String(last) : inspect(last)})` : ""}`,
    );
  }
}

/** a Watcher that records what it receives */
export interface Recorder {
  watcher: Watcher;
  events: WatchEvent[];
  /** waits until at least n events arrived, returns them all */
  waitFor(n: number): Promise<WatchEvent[]>;
}

export function recorder(): Recorder {
  const events: WatchEvent[] = [];
  return {
    events,
    watcher: (e) => events.push({ type: e.type, path: e.path }),
    waitFor: async (n) => {
      await until(
        () => `${n} watch event(s), have ${JSON.stringify(events)}`,
        () => events.length >= n,
      );
      return events;
    },
  };
}

/**
 * Proves that no (further) event arrives for a watcher: performs a later change that an
 * independent `fence` watcher of the same session observes. Events of one session arrive in
 * order, so once the fence fired, any event due before it has been delivered too.
 */
export async function fence(s: Session, base: string): Promise<void> {
  const p = `${base}/__fence-${Math.random().toString(36).slice(2, 8)}`;
  const r = recorder();
  await s.exists(p, r.watcher);
  await s.create(p);
  await r.waitFor(1);
  await s.delete(p);
}

export async function expectCode(p: Promise<unknown>, code: ErrorCodeName): Promise<CoordinatorError> {
  try {
    await p;
  } catch (err) {
    expect(err, `expected CoordinatorError ${code}, got ${String(err)}`).toBeInstanceOf(CoordinatorError);
    expect((err as CoordinatorError).code).toBe(code);
    return err as CoordinatorError;
  }
  throw new Error(`expected ${code}, but the operation succeeded`);
}

export const buf = (s: string): Buffer => Buffer.from(s, "utf8");

export interface TestContext {
  backend: Backend;
  /** the test's first session */
  s: Session;
  /** unique base path, already created (persistent, open ACL) */
  base: string;
  /** base + "/" + rel */
  p: (rel: string) => string;
  /** another session, closed after the test */
  connect: (options?: SessionOptions) => Promise<Session>;
}

/** sets up a test: a session, a fresh base path; closes sessions and removes the base afterwards */
export async function setup(h: ContractHarness, options?: SessionOptions): Promise<TestContext> {
  const backend = await h.backend();
  const sessions: Session[] = [];
  const connect = async (o?: SessionOptions) => {
    const s = await backend.connect(o);
    sessions.push(s);
    return s;
  };
  const s = await connect(options);
  const base = `/ct-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  await s.create(base);
  onTestFinished(async () => {
    let cleaner: Session | undefined;
    try {
      cleaner = await backend.connect();
      await removeTree(cleaner, base);
    } catch {
      // cleanup is best effort: a failed test must report its own failure, not this one
    } finally {
      await cleaner?.close().catch(() => {});
      await Promise.all(sessions.map((x) => x.close().catch(() => {})));
    }
  });
  return { backend, s, base, p: (rel) => `${base}/${rel}`, connect };
}

export async function removeTree(s: Session, path: string): Promise<void> {
  let children: string[];
  try {
    children = (await s.getChildren(path)).children;
  } catch (err) {
    if (CoordinatorError.is(err, "NO_NODE")) return;
    throw err;
  }
  for (const c of children) await removeTree(s, `${path}/${c}`);
  try {
    await s.delete(path);
  } catch (err) {
    if (!CoordinatorError.is(err, "NO_NODE")) throw err;
  }
}
