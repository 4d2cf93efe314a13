/**
 * `createClient`: the application-facing SDK object. It owns one Link (the socket), the
 * TrackedPaths (a PathTracker per path the application asked about), and the optional disk
 * cache, and wires them together: the handshake subscribes every tracked path and hands the answers to the
 * trackers as hints, pushed notices become hints, and every applied change is written to the
 * cache, announced to the server (`applied`) and delivered to the path's watchers.
 */
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { zConfigSnapshot, type ConfigSnapshot } from "@conifer/protocol";
import { AppliedReporter } from "./applied-reporter.ts";
import { CacheStore } from "./cache-store.ts";
import { decodeContent } from "./decode.ts";
import { metaOf, parseNotice } from "./incoming.ts";
import { Emitter } from "./emitter.ts";
import { SdkError } from "./errors.ts";
import { fullJitterDelay } from "@conifer/shared";
import { Link, RemoteError, type ClientState } from "./link.ts";
import { resolveOptions, type ClientOptions, type ResolvedOptions } from "./options.ts";
import type { Applied, Decoded, PathTracker, TrackerHost } from "./path-tracker.ts";
import { ReleaseGate } from "./release-gate.ts";
import { SubscribeBatcher } from "./subscribe-batcher.ts";
import { subscribePaths } from "./subscribe.ts";
import { TrackedPaths } from "./tracked-paths.ts";
import type { ClientEvents, ConiferClient, ManyCallback, ReleaseCallback, Snapshot, WatchCallback } from "./types.ts";
import { Waits } from "./waits.ts";

export const SDK_VERSION = "0.1.0";

export function createClient(options: ClientOptions): ConiferClient {
  return new Client(resolveOptions(options));
}

class Client implements ConiferClient, TrackerHost {
  readonly instanceId = randomBytes(12).toString("base64url");
  private readonly paths: TrackedPaths;
  private readonly events: Emitter<ClientEvents>;
  private readonly cache: CacheStore | undefined;
  private readonly link: Link;
  private readonly batcher: SubscribeBatcher;
  private readonly waits = new Waits();
  private readonly reporter: AppliedReporter;
  private readonly gate: ReleaseGate;
  private failures = 0;
  private closed = false;

  constructor(private readonly options: ResolvedOptions) {
    this.events = new Emitter<ClientEvents>((e) => options.logger.warn(`listener threw: ${String(e)}`));
    this.cache = options.cacheDir ? new CacheStore(options.cacheDir, options.logger) : undefined;
    this.paths = new TrackedPaths(this, this.cache, options.logger, (path) => {
      if (!this.closed) this.batcher.add([path]);
    });
    this.link = new Link(options, {
      handshake: (epoch) => this.handshake(epoch),
      onReady: (epoch) => this.onReady(epoch),
      onState: (state) => {
        this.events.emit("state", state);
        this.waits.wake();
      },
      onFailure: () => {
        this.failures++;
        this.waits.wake();
      },
    });
    this.batcher = new SubscribeBatcher(
      (paths, epoch) => this.subscribe(paths, epoch),
      () => this.link.ready,
      () => this.link.epoch,
      options.logger,
    );
    this.reporter = new AppliedReporter(this.link);
    this.gate = new ReleaseGate({
      tracker: (path) => this.paths.tracker(path),
      snapshot: (path) => this.getSnapshot(path),
      epoch: () => this.link.epoch,
      warn: (m) => options.logger.warn(m),
      released: (zxid, paths) => {
        this.reporter.released(zxid);
        for (const p of paths) {
          const cur = this.paths.tracker(p)?.current;
          if (cur?.exists) this.reporter.announce(p, cur);
        }
      },
    });
    this.link.socket.on("changeGroup", (group) => this.gate.onGroup(group));
    this.link.socket.on("changed", (notice) => this.onChanged(notice));
    this.link.socket.on("resync", () => {
      if (this.link.ready) this.batcher.add(this.paths.loadedPaths());
    });
    this.link.start();
  }

  get state(): ClientState {
    return this.link.state;
  }

  on<K extends "state" | "error">(event: K, listener: (arg: ClientEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** read through a call: `close()` may run while `get` awaits */
  private isClosed(): boolean {
    return this.closed;
  }

  async get<T = unknown>(path: string): Promise<T> {
    if (this.closed) throw new SdkError("CLOSED", "client is closed", { path });
    const entry = this.paths.track(path);
    await entry.loaded;
    const t = entry.tracker;
    const failuresAtStart = this.failures;
    const deadline = Date.now() + this.options.requestTimeoutMs;
    for (;;) {
      if (this.isClosed()) throw new SdkError("CLOSED", "client is closed", { path });
      if (this.link.ready && t.settledEpoch === this.link.epoch) break; // confirmed with the server
      if (!this.link.ready && t.current !== undefined && this.link.state === "disconnected") break; // offline: serve what we have
      if (this.failures > failuresAtStart || Date.now() >= deadline) break;
      await this.waits.sleep(deadline - Date.now());
    }
    const cur = t.current;
    if (t.refused !== undefined && cur === undefined) throw new SdkError("NOT_FOUND", t.refused, { path });
    if (cur === undefined)
      throw new SdkError("UNREACHABLE", `cannot reach ${this.options.url} and nothing is cached for ${path}`, { path });
    if (!cur.exists) throw new SdkError("NOT_FOUND", `${path} does not exist`, { path });
    return cur.value as T;
  }

  watch<T = unknown>(path: string, callback: WatchCallback<T>): () => void {
    if (this.closed) throw new SdkError("CLOSED", "client is closed", { path });
    this.paths.track(path);
    return this.paths.watch(path, callback);
  }

  watchMany(paths: string[], callback: ManyCallback): () => void {
    if (this.closed) throw new SdkError("CLOSED", "client is closed", {});
    for (const p of paths) this.paths.track(p);
    return this.gate.watchMany(paths, callback);
  }

  onRelease(callback: ReleaseCallback): () => void {
    return this.gate.onRelease(callback);
  }

  getSnapshot<T = unknown>(path: string): Snapshot<T> | undefined {
    const cur = this.paths.tracker(path)?.current;
    return cur ? { value: cur.value as T | undefined, meta: metaOf(path, cur) } : undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.reporter.stop();
    this.gate.clear();
    this.batcher.stop();
    this.link.close();
    this.waits.close();
    await this.cache?.flush();
    this.events.clear();
    this.paths.clearWatchers();
  }

  // --- TrackerHost -------------------------------------------------------------------------

  isReady(): boolean {
    return this.link.ready;
  }

  epoch(): number {
    return this.link.epoch;
  }

  async fetch(path: string): Promise<ConfigSnapshot> {
    try {
      const res = await this.link.request((s) => s.emitWithAck("fetch", { path }));
      return zConfigSnapshot.parse(res);
    } catch (e) {
      if (e instanceof RemoteError && (e.code === "NOT_FOUND" || e.code === "NO_NODE")) {
        return { path, exists: false, version: -1, mzxid: "0", data: "", format: "text" };
      }
      throw e;
    }
  }

  decode(snapshot: ConfigSnapshot): Decoded {
    return decodeContent(snapshot);
  }

  onApplied(tracker: PathTracker, applied: Applied): void {
    const path = tracker.path;
    if (applied.exists)
      void this.cache?.save({
        path,
        version: applied.version,
        mzxid: applied.mzxid,
        format: applied.format,
        raw: applied.raw,
      });
    else void this.cache?.remove(path);
    this.reporter.announce(path, applied);
    this.paths.deliver(path, applied.value, metaOf(path, applied));
    this.gate.progress();
    this.waits.wake();
  }

  onRejected(_tracker: PathTracker, error: SdkError): void {
    if (this.events.listenerCount("error") > 0) this.events.emit("error", error);
    else this.options.logger.warn(error.message);
    this.gate.progress();
  }

  onSettled(): void {
    this.gate.progress();
    this.waits.wake();
  }

  /** a retry pause: only closing the client cuts it short */
  pause(failures: number): Promise<void> {
    return this.waits.pause(fullJitterDelay(failures, this.options.reconnect));
  }

  // --- connection ----------------------------------------------------------------------------

  private async handshake(epoch: number): Promise<void> {
    const hello = {
      app: this.options.app,
      host: hostname().slice(0, 255) || "unknown",
      pid: process.pid,
      instanceId: this.instanceId,
      sdkVersion: SDK_VERSION,
      labels: this.options.labels,
    };
    await this.link.request((s) => s.emitWithAck("hello", hello));
    const paths = this.paths.loadedPaths();
    if (paths.length > 0) await this.subscribe(paths, epoch);
  }

  private onReady(epoch: number): void {
    this.batcher.flushSoon();
    for (const tracker of this.paths.trackers()) {
      const cur = tracker.current;
      // the new connection registered a fresh instance: tell it what we run with
      if (cur?.exists && tracker.subscribedEpoch === epoch && !tracker.pending())
        this.reporter.announce(tracker.path, cur);
      tracker.kick();
    }
    this.waits.wake();
  }

  private subscribe(paths: string[], epoch: number): Promise<void> {
    return subscribePaths(this.link, paths, epoch, (p) => this.paths.tracker(p));
  }

  private onChanged(raw: unknown): void {
    const parsed = parseNotice(raw);
    const t = parsed.path !== undefined ? this.paths.tracker(parsed.path) : undefined;
    if (!t) return;
    if (!parsed.notice) {
      this.options.logger.warn(`ignored malformed change notice for ${parsed.path}`);
      return;
    }
    t.hint(parsed.notice.info, parsed.notice.zxid);
  }
}
