/**
 * Engine configuration: the public EngineOptions and their resolved form with ZooKeeper's
 * defaults (tickTime 2000, session timeout within [2, 20] ticks, jute.maxbuffer ~1 MiB).
 */

export interface EngineOptions {
  /** durable state (transaction log + snapshots) lives here */
  dataDir: string;
  /**
   * an extra cap on the data per node in bytes; unset by default, when only ZooKeeper's own
   * bound applies: a request frame of at most jute.maxbuffer (1,048,575) bytes
   */
  maxDataBytes?: number;
  /** ZooKeeper tickTime in ms; default 2000. Session expiry is checked every tick */
  tickMs?: number;
  /** default 2 * tickMs */
  minSessionTimeoutMs?: number;
  /** default 20 * tickMs */
  maxSessionTimeoutMs?: number;
  /** enables TTL nodes (zookeeper.extendedTypesEnabled); default true */
  extendedTypesEnabled?: boolean;
  /** how often empty containers and expired TTL nodes are reaped; default 60_000 */
  containerCheckIntervalMs?: number;
  /** a snapshot is written after this many logged transactions; default 10_000 */
  snapshotEveryTxns?: number;
  /** snapshots (and their logs) kept on disk; default 3 */
  snapRetainCount?: number;
  /** fsync the log before acknowledging writes; default true */
  fsync?: boolean;
  /** "super:<base64 sha1>": a session authenticated with the matching digest bypasses ACLs */
  superDigest?: string;
}

export interface ResolvedOptions {
  dataDir: string;
  maxDataBytes: number | undefined;
  tickMs: number;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  extendedTypesEnabled: boolean;
  containerCheckIntervalMs: number;
  snapshotEveryTxns: number;
  snapRetainCount: number;
  fsync: boolean;
  superDigest: string | undefined;
}

function positive(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`EngineOptions.${name} must be a positive number, got ${v}`);
  return v;
}

/** untyped callers may pass anything: the options object must be there and carry a dataDir */
function hasDataDir(o: unknown): o is EngineOptions {
  if (!o) return false;
  const dataDir: unknown = (o as { dataDir?: unknown }).dataDir;
  return typeof dataDir === "string" && dataDir !== "";
}

export function resolveOptions(o: unknown): ResolvedOptions {
  if (!hasDataDir(o)) throw new TypeError("EngineOptions.dataDir is required");
  const tickMs = positive("tickMs", o.tickMs, 2000);
  const minSessionTimeoutMs = positive("minSessionTimeoutMs", o.minSessionTimeoutMs, 2 * tickMs);
  const maxSessionTimeoutMs = positive("maxSessionTimeoutMs", o.maxSessionTimeoutMs, 20 * tickMs);
  if (maxSessionTimeoutMs < minSessionTimeoutMs)
    throw new RangeError("maxSessionTimeoutMs must be >= minSessionTimeoutMs");
  return {
    dataDir: o.dataDir,
    maxDataBytes: o.maxDataBytes === undefined ? undefined : positive("maxDataBytes", o.maxDataBytes, 0),
    tickMs,
    minSessionTimeoutMs,
    maxSessionTimeoutMs,
    extendedTypesEnabled: o.extendedTypesEnabled ?? true,
    containerCheckIntervalMs: positive("containerCheckIntervalMs", o.containerCheckIntervalMs, 60_000),
    snapshotEveryTxns: positive("snapshotEveryTxns", o.snapshotEveryTxns, 10_000),
    snapRetainCount: positive("snapRetainCount", o.snapRetainCount, 3),
    fsync: o.fsync ?? true,
    superDigest: o.superDigest,
  };
}
