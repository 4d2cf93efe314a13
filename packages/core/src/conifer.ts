/**
 * The composition root and facade of the domain layer: one backend session, the write pipeline,
 * the change feed with its history recorder, the instance registry and the accounts service,
 * wired once per server. The transports (tRPC, REST, socket.io) use the services `config`,
 * `history` and `auth` and the methods below; the parts behind them stay private.
 * `start` opens the session, prepares the server's bookkeeping nodes, registers the one
 * recursive watch and reconciles history; a session expiry repeats that and asks every client
 * to resync.
 */
import type { Backend, Session } from "@conifer/coordinator";
import type { ConfigSnapshot, Hello, VersionInfo } from "@conifer/protocol";
import { AuthService } from "./auth/auth-service.ts";
import type { AuthPolicy } from "./auth/auth-types.ts";
import { authorize, canBrowse, type Principal } from "./auth/authz.ts";
import { BackendLink, type HealthListener } from "./backend-link.ts";
import { ChangeFeed, type FeedListeners } from "./change-feed.ts";
import { ConfigService, type ConfigNode } from "./config-service.ts";
import { ConfigWriter } from "./config-writer.ts";
import { compareEnvironments, type EnvironmentComparison } from "./environments.ts";
import type { HistoryPort } from "./history-port.ts";
import { HistoryRecorder } from "./history-recorder.ts";
import { HistoryService } from "./history-service.ts";
import { InstanceRegistry, type InstanceView } from "./instance-registry.ts";
import { matches, parseSelector } from "./label-selector.ts";
import type { GrayEntry } from "./gray/gray-record.ts";
import type { TargetedInstance } from "./gray/gray-target.ts";
import { GrayView } from "./gray/gray-view.ts";
import { GrayWatcher, type GrayListener } from "./gray/gray-watcher.ts";
import { DirectReleases } from "./releases/direct.ts";
import { ReleaseService } from "./releases/release-service.ts";
import { startTicking } from "./releases/schedule-timer.ts";
import type { NodePolicy } from "./node-acl.ts";
import { silentLogger, type Logger } from "./logger.ts";
import { searchTree, type SearchInput, type SearchResult } from "./search.ts";
import {
  visibleChildren,
  visibleInstances,
  visibleNode,
  visibleSearch,
  type Listing,
  type ViewOptions,
} from "./scoped-view.ts";
import { wireDoorInfo, type WireDoorDTO, type WireDoorSource } from "./wire-door.ts";

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
  /** sign-in lockout and session/token lifetimes; defaults in auth-service.ts */
  authPolicy?: Partial<AuthPolicy>;
  /** how often this server looks for scheduled publishes that are due; default 5 s, 0 = never (tests tick) */
  scheduleTickMs?: number;
  /** the scheduler's clock; default Date.now */
  now?: () => number;
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
  readonly config: ConfigService;
  readonly history: HistoryService;
  /** accounts, sign-in, sessions, tokens, revocations */
  readonly auth: AuthService;
  /** publish policies, change requests, review, releases, release rollback (issue 14) */
  readonly releases: ReleaseService;
  readonly serverId: string;
  private readonly link: BackendLink;
  private readonly feed: ChangeFeed;
  private readonly instances: InstanceRegistry;
  private readonly recorder: HistoryRecorder;
  private readonly grayView = new GrayView();
  private readonly grayWatcher: GrayWatcher;
  private readonly log: Logger;
  private wireDoor: WireDoorSource | null = null;
  private stopTicking: (() => void) | null = null;

  constructor(private readonly opts: ConiferOptions) {
    this.log = opts.log ?? silentLogger;
    this.serverId = opts.serverId;
    this.link = new BackendLink(opts.backend, this.log, opts.sessionTimeoutMs, opts.nodePolicy);
    const sharedBackend = opts.sharedBackend ?? opts.backend.kind !== "embedded";
    const graceMs = opts.intentGraceMs ?? 15_000;
    this.recorder = new HistoryRecorder(opts.history, this.log, {
      graceMs,
      sharedBackend,
      recordTimeoutMs: opts.recordTimeoutMs,
    });
    const writer = new ConfigWriter(this.link, opts.history, this.recorder, this.log);
    this.grayWatcher = new GrayWatcher(this.link, this.grayView, this.log);
    const direct = new DirectReleases(opts.history.releases, opts.history, this.log, (paths) =>
      this.grayView.refuse(paths),
    );
    this.config = new ConfigService(this.link, writer, opts.history, this.log, direct);
    this.releases = new ReleaseService(opts.history, this.link, this.recorder, this.log, {
      serverId: opts.serverId,
      sharedBackend,
      claimGraceMs: graceMs,
      now: opts.now,
      gray: { view: this.grayView, note: (id, entry) => this.grayWatcher.note(id, entry) },
    });
    this.history = new HistoryService(opts.history, this.config, writer, this.link, direct);
    this.feed = new ChangeFeed(this.link, this.recorder, this.log);
    this.feed.listen({
      systemCreated: (path) => this.releases.signal.observe(path),
      tree: (ev) => this.grayWatcher.onTree(ev),
    });
    this.instances = new InstanceRegistry(this.link, opts.serverId, this.log);
    this.auth = new AuthService(opts.history.accounts, (entry) => opts.history.audit(entry), this.log, opts.authPolicy);
  }

  async start(): Promise<void> {
    const session = await this.link.open();
    await this.instances.ensureRoots(session);
    await this.releases.signal.ensureRoot(session);
    await this.releases.gray.ensureRoot(session);
    await this.feed.attach(session);
    await this.grayWatcher.reload(session);
    await this.recorder.reconcile(this.link);
    await this.releases.reconcile(true);
    this.link.onRenewed(async (s) => {
      this.feed.invalidate();
      await this.releases.signal.ensureRoot(s);
      await this.releases.gray.ensureRoot(s);
      await this.feed.attach(s);
      await this.grayWatcher.reload(s);
      await this.instances.recreateAll();
      await this.recorder
        .reconcile(this.link)
        .then(() => this.releases.reconcile())
        .catch((err: unknown) => this.log.error("reconcile after session renewal failed", err));
      this.feed.resync("backend session renewed");
    });
    this.link.onReconnected(async () => {
      this.feed.invalidate();
      await this.grayWatcher.reload();
      await this.recorder
        .reconcile(this.link)
        .then(() => this.releases.reconcile())
        .catch((err: unknown) => this.log.error("reconcile after reconnect failed", err));
      this.feed.resync("backend connection restored; changes may have been missed");
    });
    const tickMs = this.opts.scheduleTickMs ?? 5_000;
    if (tickMs > 0) this.stopTicking = startTicking(() => this.releases.tick(), tickMs, this.log);
  }

  // ---- live configuration (the change feed): what the gateway and the REST read serve

  /** Change notices, tree events and resync requests; returns the unsubscribe. */
  listen(listeners: FeedListeners): () => void {
    return this.feed.listen(listeners);
  }

  /** A config's content as SDKs pull it (cached per version, last-read while the backend is down). */
  fetch(path: string): Promise<ConfigSnapshot> {
    return this.feed.fetch(path);
  }

  /** Where a path stands now (a Stat read). */
  version(path: string): Promise<VersionInfo> {
    return this.feed.version(path);
  }

  /** Resolves once every backend event received so far is processed (and recorded in history). */
  drain(): Promise<void> {
    return this.feed.drain();
  }

  /**
   * Changes not yet settled in history: events still being processed plus changes deferred for a
   * peer server's row (shared backend). 0 means every change seen so far has its final row.
   */
  get historyBacklog(): number {
    return this.feed.pending + this.recorder.deferred;
  }

  /** Backend reads done to serve fetches (not counting the one per event); for tests and metrics. */
  get fetchReads(): number {
    return this.feed.fetchReads;
  }

  // ---- the backend's health

  /** Called with each change of writability (quorum lost, back). */
  onHealth(listener: HealthListener): void {
    this.link.onHealth(listener);
  }

  /**
   * What SDK instance `inst` is served for `path`: the live content, or the content of an active
   * gray release that targets it, with an mzxid that orders the switch (gray/gray-view.ts).
   */
  async fetchFor(path: string, inst: TargetedInstance | undefined): Promise<ConfigSnapshot> {
    return this.grayView.serve(await this.feed.fetch(path), inst);
  }

  /** Where `path` stands for instance `inst` (subscribe answers), as `fetchFor` would serve it. */
  async versionFor(path: string, inst: TargetedInstance | undefined): Promise<VersionInfo> {
    return this.grayView.version(await this.feed.version(path), inst);
  }

  /** The version `inst` is told of, given the live one (the gateway's notices after a gray change). */
  servedVersion(live: VersionInfo, inst: TargetedInstance | undefined): VersionInfo {
    return this.grayView.version(live, inst);
  }

  /** Whether the gray release `entry` (a state a GrayChange carries) serves its content to `inst`. */
  grayReaches(entry: GrayEntry | null, inst: TargetedInstance | undefined): boolean {
    return this.grayView.reaches(entry, inst);
  }

  /** Every gray release change this server learns of, its own and other servers'. */
  onGray(listener: GrayListener): () => void {
    return this.grayWatcher.listen(listener);
  }

  /** Waits until the gray releases' events received so far are applied (tests). */
  graySettled(): Promise<void> {
    return this.grayWatcher.settled();
  }

  /** The last health state announced, for clients that connect later. */
  get health(): { writable: boolean; message?: string } {
    return this.link.health;
  }

  /** The current backend session (it changes when one expires); for diagnostics and tests. */
  get session(): Session {
    return this.link.session;
  }

  // ---- SDK instances

  registerInstance(hello: Hello, socketId: string): Promise<void> {
    return this.instances.register(hello, socketId);
  }

  unregisterInstance(instanceId: string, socketId: string): Promise<void> {
    return this.instances.unregister(instanceId, socketId);
  }

  /** An instance reports the version it applied; written in batches. */
  reportApplied(instanceId: string, path: string, version: number, mzxid: string, release?: string): void {
    this.instances.applied(instanceId, path, version, mzxid, release);
  }

  /**
   * The instances `viewer` may see (scoped-view.ts), optionally only those that applied a config
   * under `filterPath` and those whose labels match `selector` (label-selector.ts; a bad one is
   * INVALID_INPUT before anything is read).
   */
  async listInstances(viewer: Principal, filterPath?: string, selector?: string): Promise<InstanceView[]> {
    const parsed = selector === undefined ? undefined : parseSelector(selector);
    if (filterPath && !canBrowse(viewer, filterPath)) authorize(viewer, "read", filterPath);
    const all = visibleInstances(await this.instances.list(filterPath), viewer);
    return parsed ? all.filter((i) => matches(parsed, i.labels)) : all;
  }

  /** One node as `viewer` may read it, its child count what they are shown (scoped-view.ts). */
  read(viewer: Principal, path: string, opts: ViewOptions = {}): Promise<ConfigNode> {
    return visibleNode(this.config, viewer, path, opts);
  }

  /** The children of `path` as `viewer` may see them, with counts of what they may see below. */
  browse(viewer: Principal, path: string, opts: ViewOptions = {}): Promise<Listing> {
    return visibleChildren(this.config, viewer, path, opts);
  }

  /**
   * First step of a shutdown: no more instance writes. The sockets about to be dropped need no
   * cleanup each; their instance znodes go with the session.
   */
  stopInstances(): void {
    this.instances.stop();
  }

  /** Search what `viewer` may read (system subtrees only when an admin asks for them). */
  search(viewer: Principal, input: SearchInput & ViewOptions): Promise<SearchResult> {
    return visibleSearch((i) => searchTree(this.link, i), viewer, input);
  }

  /** Keys and fields that differ between two prefixes (environments); `principal` needs read on both. */
  compareEnvironments(
    principal: Principal | null,
    leftPrefix: string,
    rightPrefix: string,
  ): Promise<EnvironmentComparison> {
    return compareEnvironments(this.link, principal, leftPrefix, rightPrefix);
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

  /** The ZooKeeper client port, once the server opened it (null: closed, or a ZooKeeper backend). */
  attachWireDoor(source: WireDoorSource | null): void {
    this.wireDoor = source;
  }

  wireDoorInfo(): WireDoorDTO {
    return wireDoorInfo(this.wireDoor);
  }

  /** Stops watching and closes the session (the server's instance ephemerals go with it). */
  async stop(): Promise<void> {
    this.stopTicking?.();
    this.releases.signal.stop();
    this.feed.stop();
    this.recorder.stop();
    this.instances.stop();
    await this.link.close();
  }
}
