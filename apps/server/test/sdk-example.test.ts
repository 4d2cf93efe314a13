/**
 * The example application (examples/live-config) as a child process against the real server:
 * it prints the value at start and "reloaded: ..." after a publish through tRPC.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { stopChild } from "./child-server.ts";
import { tempDir } from "./helpers.ts";
import { useServer } from "./server-fixture.ts";
import { apiClient, eventually, publish, sdkToken } from "./sdk-fixtures.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
let server: RunningServer;
let cleanups: (() => Promise<void>)[] = [];
let child: ChildProcess | undefined;

useServer({
  prefix: "conifer-sdk-example-data-",
  ready: (s) => {
    server = s;
  },
  closing: () => stopChild(child),
});
afterAll(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});

describe("examples/live-config", () => {
  it("prints the value at start and 'reloaded' with the new value after a publish", async () => {
    const api = apiClient(server.url);
    await publish(api, "/demo/app.json", '{"greeting":"hello"}');
    const cache = await tempDir("conifer-sdk-example-cache-");
    cleanups.push(cache.cleanup);
    let out = "";
    child = spawn(process.execPath, ["--import", "tsx", "examples/live-config/src/main.ts"], {
      cwd: repoRoot,
      env: {
        ...process.env,
        CONIFER_URL: server.url,
        CONIFER_TOKEN: sdkToken(server.url),
        CONFIG_PATH: "/demo/app.json",
        CONIFER_CACHE_DIR: cache.dir,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));

    await eventually(() => out.includes('value: {"greeting":"hello"}'), `the start value in:\n${out}`);
    await publish(api, "/demo/app.json", '{"greeting":"bonjour"}');
    await eventually(() => out.includes('reloaded: {"greeting":"bonjour"} (version 1)'), "the reloaded line");
    expect(child.exitCode).toBeNull();

    const exited = new Promise<number | null>((r) => child!.once("exit", (code) => r(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
