/**
 * Child processes for the benchmarks: each runs a TypeScript entry under tsx with the open-files
 * limit raised to the hard limit (bash `ulimit`), talks over the IPC channel with small
 * request/answer messages, and is killed when the benchmark process exits.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const c of live) c.kill("SIGKILL");
});

export interface Child {
  proc: ChildProcess;
  /** sends a message and resolves with the child's answer of type `${msg.type}:done` */
  call<T = Record<string, unknown>>(msg: { type: string; [k: string]: unknown }, timeoutMs?: number): Promise<T>;
  /** resolves with the next message of this type */
  next<T = Record<string, unknown>>(type: string, timeoutMs?: number): Promise<T>;
  on(type: string, fn: (msg: Record<string, unknown>) => void): void;
  /** waits up to graceMs for the child to exit by itself, then SIGKILLs it */
  kill(graceMs?: number): Promise<void>;
}

export function spawnChild(entry: URL, args: string[] = [], nodeFlags: string[] = []): Child {
  const file = fileURLToPath(entry);
  const cmd = `ulimit -n $(ulimit -Hn) && exec node ${nodeFlags.join(" ")} --import tsx ${JSON.stringify(file)} ${args.map((a) => JSON.stringify(a)).join(" ")}`;
  const proc = spawn("bash", ["-c", cmd], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  live.add(proc);
  const exited = new Promise<void>((r) =>
    proc.once("exit", () => {
      live.delete(proc);
      r();
    }),
  );
  const handlers = new Map<string, ((msg: Record<string, unknown>) => void)[]>();
  proc.on("message", (m) => {
    const msg = m as Record<string, unknown>;
    for (const fn of handlers.get(String(msg.type)) ?? []) fn(msg);
  });
  const on = (type: string, fn: (msg: Record<string, unknown>) => void) =>
    handlers.set(type, [...(handlers.get(type) ?? []), fn]);
  const next = <T>(type: string, timeoutMs = 600_000) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${file}: no "${type}" within ${timeoutMs} ms`)), timeoutMs);
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`${file} exited (${code}) while waiting for "${type}"`));
      };
      const fn = (msg: Record<string, unknown>) => {
        handlers.set(
          type,
          (handlers.get(type) ?? []).filter((f) => f !== fn),
        );
        clearTimeout(timer);
        proc.off("exit", onExit);
        const { error } = msg;
        if (error) reject(new Error(typeof error === "string" ? error : JSON.stringify(error)));
        else resolve(msg as T);
      };
      on(type, fn);
      proc.once("exit", onExit);
    });
  return {
    proc,
    on,
    next,
    call<T>(msg: { type: string }, timeoutMs?: number) {
      const answer = next<T>(`${msg.type}:done`, timeoutMs);
      proc.send(msg);
      return answer;
    },
    async kill(graceMs = 0) {
      if (graceMs > 0 && proc.exitCode === null) {
        // a child exits by itself when its IPC channel closes (see `serve`), writing its profile
        if (proc.connected) proc.disconnect();
        await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
      }
      if (proc.exitCode === null) proc.kill("SIGKILL");
      await exited;
    },
  };
}

/** the child side: answers each request type with the handler's result (or its error) */
export function serve(
  handlers: Record<string, (msg: Record<string, unknown>) => Promise<Record<string, unknown>> | Promise<void>>,
): void {
  process.on("message", (m) => {
    const msg = m as Record<string, unknown>;
    const type = String(msg.type);
    const fn = handlers[type];
    if (!fn) return;
    (fn(msg) as Promise<Record<string, unknown> | undefined>).then(
      (res) => process.send?.({ type: `${type}:done`, ...(res ?? {}) }),
      (err: unknown) => process.send?.({ type: `${type}:done`, error: (err as Error).stack ?? String(err) }),
    );
  });
  process.on("disconnect", () => process.exit(0));
}

/** runs `fn` over items with at most `limit` in flight */
export async function pool<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (i < items.length) {
        const k = i++;
        const item = items[k] as T; // k < items.length: checked by the loop
        await fn(item, k);
      }
    }),
  );
}

/** splits n into k nearly equal parts */
export function split(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0)).filter((x) => x > 0);
}

/** extra node flags for the server process: BENCH_PROFILE=<dir> writes a CPU profile there */
export function serverFlags(): string[] {
  const dir = process.env.BENCH_PROFILE;
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : [];
}

/** the same for load-generator processes: BENCH_PROFILE_CLIENTS=<dir> */
export function clientFlags(): string[] {
  const dir = process.env.BENCH_PROFILE_CLIENTS;
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : [];
}

/**
 * The process's memory after a full GC (when run with --expose-gc): RSS, and JS heap + external
 * (buffers), which the connections benchmark reads from every server it measures.
 */
export function memoryAfterGc(): { rss: number; heap: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.external };
}
