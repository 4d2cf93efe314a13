/**
 * `npm start` under a supervisor: the quick start's command serves Conifer, and a SIGTERM sent to
 * npm (systemd, a container runtime, `kill <npm pid>`) shuts the server down gracefully (its
 * data-dir lock released), instead of leaving it running orphaned behind npm's shell.
 * Real processes: npm, its shell, scripts/start.mjs and the server.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eventually } from "@conifer/sdk/testing";
import { freePort } from "@conifer/zookeeper/testing";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "./helpers.ts";

const repo = fileURLToPath(new URL("../../..", import.meta.url));

const healthy = (port: number) =>
  fetch(`http://127.0.0.1:${port}/healthz`).then(
    (r) => r.ok,
    () => false,
  );

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("npm start", () => {
  it("serves, and stops gracefully when npm itself gets SIGTERM", { timeout: 240_000 }, async () => {
    const { dir, cleanup } = await tempDir("conifer-npm-start-");
    cleanups.push(cleanup);
    const port = await freePort();
    const zkPort = await freePort();
    const npm = spawn("npm", ["start"], {
      cwd: repo,
      // its own process group, so the test can clean up everything it started whatever happens
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        PORT: String(port),
        CONIFER_ZK_PORT: String(zkPort),
        HOST: "127.0.0.1",
        CONIFER_DATA_DIR: dir,
        CONIFER_SERVE_CONSOLE: "false",
        CONIFER_ADMIN_PASSWORD: "npm-start-test-password-1",
      },
    });
    cleanups.push(() => {
      try {
        process.kill(-npm.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    });
    let output = "";
    npm.stdout.on("data", (d) => (output += String(d)));
    npm.stderr.on("data", (d) => (output += String(d)));

    await eventually(() => output.includes("Conifer is running"), "npm start to serve", 180_000, 200).catch(
      (e: unknown) => {
        throw new Error(`${e instanceof Error ? e.message : String(e)}; its output:\n${output}`);
      },
    );
    expect(await healthy(port)).toBe(true);
    expect(existsSync(join(dir, "engine", "LOCK"))).toBe(true);
    // the ZooKeeper client port of the embedded engine is open too
    expect(output).toContain(`ZooKeeper clients: zkCli.sh -server localhost:${zkPort}`);

    process.kill(npm.pid!, "SIGTERM"); // npm only, as a supervisor would
    await eventually(async () => !(await healthy(port)), "the server to stop after npm got SIGTERM", 60_000, 200);
    await eventually(
      () => !existsSync(join(dir, "engine", "LOCK")),
      "the data-dir lock to be released (graceful shutdown)",
      30_000,
      200,
    );
    expect(output).toContain("SIGTERM received, shutting down");
  });
});
