/** Shared helpers for the SDK integration tests: polling with a deadline, temp dirs, clients. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, type ClientOptions, type ConiferClient, type ValueMeta } from "../src/index.ts";

/** Polls until `check` returns truthy; the deadline is a ceiling for hangs, not a speed target. */
export async function eventually<T>(check: () => T | Promise<T>, what = "condition", timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `conifer-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Clients created through this are closed by closeAll (call it in afterEach). */
export function clientFactory() {
  const clients: ConiferClient[] = [];
  const warnings: string[] = [];
  return {
    warnings,
    make(options: ClientOptions): ConiferClient {
      const c = createClient({
        // generous: a loaded CI machine must not turn slowness into UNREACHABLE
        requestTimeoutMs: 60_000,
        reconnect: { minDelayMs: 50, maxDelayMs: 400 },
        logger: { warn: (m) => warnings.push(m) },
        ...options,
      });
      clients.push(c);
      return c;
    },
    async closeAll(): Promise<void> {
      await Promise.all(clients.splice(0).map((c) => c.close()));
    },
  };
}

/** Records every watch delivery of a path. */
export function recorder() {
  const calls: { value: unknown; meta: ValueMeta }[] = [];
  return {
    calls,
    cb: (value: unknown, meta: ValueMeta) => {
      calls.push({ value, meta });
    },
    mzxids: () => calls.map((c) => BigInt(c.meta.mzxid)),
  };
}

/** True when the list is strictly increasing (so: in order and without duplicates). */
export function strictlyIncreasing(xs: bigint[]): boolean {
  return xs.every((x, i) => i === 0 || x > xs[i - 1]!);
}
