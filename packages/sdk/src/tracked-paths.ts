/**
 * The paths a client was asked about: one PathTracker each, seeded from the disk cache before
 * it is subscribed (`isLoaded`), and the `watch` callbacks registered on them. The client
 * drives the trackers; this only keeps them, checks a path once when it is first asked for,
 * and hands each applied value to the path's callbacks.
 */
import { pathProblem } from "@conifer/coordinator";
import type { CacheStore } from "./cache-store.ts";
import { seedFromCache } from "./incoming.ts";
import type { Logger } from "./options.ts";
import { PathTracker, type TrackerHost } from "./path-tracker.ts";
import type { ValueMeta, WatchCallback } from "./types.ts";

export interface TrackedEntry {
  tracker: PathTracker;
  /** settles once the cache was read (or failed to be) */
  loaded: Promise<void>;
  isLoaded: boolean;
}

export class TrackedPaths {
  private readonly entries = new Map<string, TrackedEntry>();
  private readonly watchers = new Map<string, Set<WatchCallback<never>>>();

  /** `onLoaded(path)` once a new path's cache was read: it may be subscribed now */
  constructor(
    private readonly host: TrackerHost,
    private readonly cache: CacheStore | undefined,
    private readonly logger: Logger,
    private readonly onLoaded: (path: string) => void,
  ) {}

  /** the entry of `path`, created (and its cache read) on first use; throws TypeError on a bad path */
  track(path: string): TrackedEntry {
    const existing = this.entries.get(path);
    if (existing) return existing;
    const problem =
      typeof path === "string"
        ? path.length > 4096
          ? "longer than 4096 characters"
          : pathProblem(path)
        : "not a string";
    if (problem) throw new TypeError(`invalid config path ${JSON.stringify(path)}: ${problem}`);
    const tracker = new PathTracker(path, this.host);
    const entry: TrackedEntry = { tracker, isLoaded: false, loaded: Promise.resolve() };
    entry.loaded = seedFromCache(this.cache, tracker, this.logger)
      .catch((e: unknown) => this.logger.warn(`cache for ${path} ignored: ${(e as Error).message}`))
      .finally(() => {
        entry.isLoaded = true;
        this.onLoaded(path);
      });
    this.entries.set(path, entry);
    return entry;
  }

  tracker(path: string): PathTracker | undefined {
    return this.entries.get(path)?.tracker;
  }

  trackers(): PathTracker[] {
    return [...this.entries.values()].map((e) => e.tracker);
  }

  /** the paths whose cache was read: the ones a (re)subscription covers */
  loadedPaths(): string[] {
    return [...this.entries.entries()].filter(([, e]) => e.isLoaded).map(([p]) => p);
  }

  watch(path: string, callback: WatchCallback<never>): () => void {
    let set = this.watchers.get(path);
    if (!set) {
      set = new Set();
      this.watchers.set(path, set);
    }
    set.add(callback);
    return () => {
      set.delete(callback);
    };
  }

  /** calls the path's watch callbacks; one that throws is logged and the others still run */
  deliver(path: string, value: unknown, meta: ValueMeta): void {
    for (const cb of [...(this.watchers.get(path) ?? [])]) {
      try {
        cb(value as never, meta);
      } catch (e) {
        this.logger.warn(`watch callback for ${path} threw: ${String(e)}`);
      }
    }
  }

  clearWatchers(): void {
    this.watchers.clear();
  }
}
