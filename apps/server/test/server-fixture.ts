/**
 * `useServer`: the start/close block of a suite's real server, written once. A server starts in
 * a fresh temp dir before the file's (or describe block's) tests and is closed, and the dir
 * removed, after them, also when the start failed halfway (then only what was started is closed).
 */
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { RunningServer, ServerConfig } from "../src/index.ts";
import { start, tempDir } from "./helpers.ts";

export interface UseServerOptions {
  /** prefix of the temp dir's name */
  prefix?: string;
  /** the server's data dir inside the temp dir (default: the temp dir itself) */
  subdir?: string;
  /** extra server config; a function gets the temp dir (e.g. to make a console dir in it) */
  config?: Partial<ServerConfig> | ((dir: string) => Partial<ServerConfig> | Promise<Partial<ServerConfig>>);
  /** runs once the server is up: clients, users, seed data */
  ready?: (server: RunningServer, dir: string) => unknown;
  /** runs before the server closes: what the tests left open (sockets, sessions, children) */
  closing?: () => unknown;
}

export interface ServerFixture {
  /** the running server (throws before the suite's beforeAll) */
  readonly server: RunningServer;
  /** the temp dir the server's data lives in (or below, with `subdir`) */
  readonly dir: string;
}

export function useServer(options: UseServerOptions = {}): ServerFixture {
  let server: RunningServer | undefined;
  let dir: string | undefined;
  let cleanup: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const t = await tempDir(options.prefix);
    dir = t.dir;
    cleanup = t.cleanup;
    const extra = typeof options.config === "function" ? await options.config(t.dir) : options.config;
    server = await start(options.subdir ? join(t.dir, options.subdir) : t.dir, extra);
    await options.ready?.(server, t.dir);
  });

  afterAll(async () => {
    await options.closing?.();
    await server?.close();
    await cleanup?.();
  });

  return {
    get server() {
      if (!server) throw new Error("useServer: the server is not started yet (read it inside a test or hook)");
      return server;
    },
    get dir() {
      if (dir === undefined) throw new Error("useServer: the temp dir is not made yet");
      return dir;
    },
  };
}
