/**
 * SDK clients for tests: a pool whose clients all close in one call (from afterEach), with
 * settings a loaded CI machine tolerates, and a recorder of a watch's deliveries.
 */
import { createClient, type ClientOptions, type ConiferClient, type ValueMeta } from "../index.ts";

export interface ClientPool {
  /** every warning the pool's clients logged */
  warnings: string[];
  make(options: ClientOptions): ConiferClient;
  closeAll(): Promise<void>;
}

/** What a pool sets under each `make`'s options: fixed, or picked from them (e.g. a token per server URL). */
export type PoolDefaults = Partial<ClientOptions> | ((options: ClientOptions) => Partial<ClientOptions>);

/** Clients made through the pool are closed by `closeAll`; `make`'s options win over `defaults`. */
export function clientPool(defaults: PoolDefaults = {}): ClientPool {
  const clients: ConiferClient[] = [];
  const warnings: string[] = [];
  return {
    warnings,
    make(options) {
      const c = createClient({
        // generous: a loaded CI machine must not turn slowness into UNREACHABLE
        requestTimeoutMs: 60_000,
        reconnect: { minDelayMs: 50, maxDelayMs: 400 },
        logger: { warn: (m) => warnings.push(m) },
        ...(typeof defaults === "function" ? defaults(options) : defaults),
        ...options,
      });
      clients.push(c);
      return c;
    },
    async closeAll() {
      await Promise.all(clients.splice(0).map((c) => c.close()));
    },
  };
}

export interface Recorder {
  calls: { value: unknown; meta: ValueMeta }[];
  /** the watch callback to pass to `client.watch` */
  cb: (value: unknown, meta: ValueMeta) => void;
  /** the mzxid of every delivery, in order */
  mzxids(): bigint[];
}

/** Records every watch delivery of a path. */
export function recorder(): Recorder {
  const calls: Recorder["calls"] = [];
  return {
    calls,
    cb: (value, meta) => {
      calls.push({ value, meta });
    },
    mzxids: () => calls.map((c) => BigInt(c.meta.mzxid)),
  };
}

/** True when the list is strictly increasing (so: in order and without duplicates). */
export function strictlyIncreasing(xs: bigint[]): boolean {
  return xs.every((x, i) => i === 0 || x > xs[i - 1]!);
}
