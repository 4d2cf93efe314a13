/**
 * Fixtures for the engine's integration tests: an Engine on a fresh temp data dir (real files),
 * removed after the test, and a poll-with-deadline helper (never fixed sleeps).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import { Engine } from "../src/index.ts";
import type { EngineOptions } from "../src/index.ts";

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "conifer-engine-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** an engine on a fresh data dir, closed after the test; fsync off unless asked (speed only) */
export async function openEngine(options: Partial<EngineOptions> = {}): Promise<{ engine: Engine; dir: string }> {
  const dir = options.dataDir ?? (await tempDir());
  const engine = await Engine.open({ fsync: false, ...options, dataDir: dir });
  onTestFinished(() => engine.close());
  return { engine, dir };
}

export async function until<T>(what: string, probe: () => T | Promise<T>, ceilingMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + ceilingMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const buf = (s: string): Buffer => Buffer.from(s, "utf8");
