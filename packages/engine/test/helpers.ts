/**
 * Fixtures for the engine's integration tests: an Engine on a fresh temp data dir (real files),
 * removed after the test, and a wait for a state (the runner's vi.waitFor; never fixed sleeps).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished, vi } from "vitest";
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

/** resolves with `probe`'s first truthy value; the ceiling only catches hangs */
export function until<T>(what: string, probe: () => T | Promise<T>, ceilingMs = 30_000): Promise<NonNullable<T>> {
  return vi.waitFor(
    async () => {
      const v = await probe();
      if (!v) throw new Error(`timed out waiting for ${what}`);
      return v;
    },
    { timeout: ceilingMs, interval: 10 },
  );
}

export const buf = (s: string): Buffer => Buffer.from(s, "utf8");
