/**
 * The composition root of the domain layer: one backend session, the write pipeline, the
 * change feed with its history recorder, and the instance registry, wired once per server.
 * `start` opens the session, prepares the server's bookkeeping nodes, registers the one
 * recursive watch and reconciles history; a session expiry repeats that and asks every client
 * to resync.
 */
import type { Backend } from "@conifer/coordinator";
import { BackendLink } from "./backend-link.ts";
import { ChangeFeed } from "./change-feed.ts";
import { ConfigService } from "./config-service.ts";
import { ConfigWriter } from "./config-writer.ts";
import type { HistoryPort } from "./history-port.ts";
import { HistoryRecorder } from "./history-recorder.ts";
import { HistoryService } from "./history-service.ts";
import { InstanceRegistry } from "./instance-registry.ts";
import type { NodePolicy } from "./node-acl.ts";
import { silentLogger, type Logger } from "./logger.ts";
import { searchTree, type SearchInput, type SearchResult } from "./search.ts";

export interface ConiferOptions {
  backend: Backend;
  history: HistoryPort;
  /** identifies this server process in instance records */
  serverId: string;
  log?: Logger;
  /** true when other server processes may share the backend (ZooKeeper) */
  sharedBackend?: boolean;
  sessionTimeoutMs?: number;
  /** grace before another server's pending write is considered crashed; default 15 s */
  intentGraceMs?: number;
  /** how long a write waits for its history row before it answers without it; default 10 s */
  recordTimeoutMs?: number;
  /** backend credentials and the ACL of the znodes this server creates (node-acl.ts); default open */
  nodePolicy?: NodePolicy;
}

export interface ClusterInfoDTO {
  kind: "embedded" | "zookeeper";
  description: string;
  writable: boolean;
  members: {
    address: string;
    role: string;
    zxid?: string;
    connections?: number;
    latencyMs?: { min: number; avg: number; max: number };
    nodeCount?: number;
    error?: string;
  }[];
  details: Record<string, string | number>;
}

export class Conifer {
  readonly link: BackendLink;
  readonly config: ConfigService;
  readonly history: HistoryService;
  readonly feed: ChangeFeed;
  readonly instances: InstanceRegistry;
  readonly recorder: HistoryRecorder;
  readonly serverId: string;
  private readonly log: Logger;

  constructor(private readonly opts: ConiferOptions) {
    this.log = opts.log ?? silentLogger;
    this.serverId = opts.serverId;
    this.link = new BackendLink(opts.backend, this.log, opts.sessionTimeoutMs, opts.nodePolicy);
    this.recorder = new HistoryRecorder(opts.history, this.log, {
      graceMs: opts.intentGraceMs ?? 15_000,
      sharedBackend: opts.sharedBackend ?? opts.backend.kind !== "embedded",
      recordTimeoutMs: opts.recordTimeoutMs,
    });
    const writer = new ConfigWriter(this.link, opts.history, this.recorder, this.log);
    this.config = new ConfigService(this.link, writer, opts.history, this.log);
    this.history = new HistoryService(opts.history, this.config, writer, this.link);
    this.feed = new ChangeFeed(this.link, this.recorder, this.log);
    this.instances = new InstanceRegistry(this.link, opts.serverId, this.log);
  }

  async start(): Promise<void> {
    const session = await this.link.open();
    await this.instances.ensureRoots(session);
    await this.feed.attach(session);
    await this.recorder.reconcile(this.link);
    this.link.onRenewed(async (s) => {
      this.feed.invalidate();
      await this.feed.attach(s);
      await this.instances.recreateAll();
      await this.recorder
        .reconcile(this.link)
        .catch((err) => this.log.error("reconcile after session renewal failed", err));
      this.feed.resync("backend session renewed");
    });
    this.link.onReconnected(async () => {
      this.feed.invalidate();
      await this.recorder.reconcile(this.link).catch((err) => this.log.error("reconcile after reconnect failed", err));
      this.feed.resync("backend connection restored; changes may have been missed");
    });
  }

  search(input: SearchInput): Promise<SearchResult> {
    return searchTree(this.link, input);
  }

  async clusterInfo(): Promise<ClusterInfoDTO> {
    const info = await this.opts.backend.info();
    return {
      kind: info.kind,
      description: info.description,
      writable: info.writable,
      members: info.members.map((m) => ({ ...m, zxid: m.zxid?.toString() })),
      details: info.details,
    };
  }

  /** Stops watching and closes the session (the server's instance ephemerals go with it). */
  async stop(): Promise<void> {
    this.feed.stop();
    this.recorder.stop();
    this.instances.stop();
    await this.link.close();
  }
}
