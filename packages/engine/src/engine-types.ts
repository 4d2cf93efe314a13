/** The Engine's public option and statistics types (re-exported by the package index). */
import type { SessionOptions } from "@conifer/coordinator";
import type { SnapshotStats } from "./processor.ts";
import type { RecoverySummary } from "./replay.ts";

/** Engine-specific session options (see README): `heartbeats: false` lets a test stop pinging. */
export interface EngineSessionOptions extends SessionOptions {
  /** default true: the in-process client pings like a ZooKeeper client library (every T/3) */
  heartbeats?: boolean;
  /** the client's address for `ip` ACLs; default 127.0.0.1 (the wire server passes the peer's) */
  clientIp?: string;
}

export interface EngineStats {
  lastZxid: bigint;
  nodeCount: number;
  sessions: number;
  ephemerals: number;
  watches: number;
  /** outcomes waiting for the disk */
  pendingRequests: number;
  /** log appends and write+fsync rounds: appends / batches is the group-commit factor */
  storage: { appends: number; batches: number; bytes: number; writeMs: number; fillMs: number };
  /** snapshots written by this engine; one streams to disk while requests go on */
  snapshots: SnapshotStats;
  /** what recovery found when this engine opened its data dir */
  recovery: RecoverySummary;
}
