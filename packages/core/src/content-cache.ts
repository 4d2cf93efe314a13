/**
 * Latest known content per path, keyed by (path, mzxid), bounded by total bytes (LRU).
 * The change feed fills it from the one read it does per backend event, so N clients fetching
 * the version they were just told about cost no further backend read. After events may have
 * been missed, `markStale` stops `get` from answering, but `lastKnown` still does: what a
 * server can offer while the backend is unreachable (no quorum) instead of nothing.
 */
import type { ConfigSnapshot } from "@conifer/protocol";
import { LRUCache } from "lru-cache";

export class ContentCache {
  // a single entry over the whole budget is not kept (lru-cache refuses it): a cache miss, not an error
  private readonly entries: LRUCache<string, Entry>;
  /** entries put before the last markStale() are only lastKnown, never fresh */
  private generation = 0;

  constructor(maxBytes = 64 * 1024 * 1024) {
    this.entries = new LRUCache<string, Entry>({ maxSize: maxBytes, sizeCalculation: (e) => cost(e.snap) });
  }

  get(path: string): ConfigSnapshot | undefined {
    const e = this.entries.peek(path);
    if (!e || e.generation !== this.generation) return undefined;
    this.entries.get(path); // a fresh hit counts as a use for the LRU order
    return e.snap;
  }

  /** The last state read for `path`, even if it may be out of date (see markStale). */
  lastKnown(path: string): ConfigSnapshot | undefined {
    return this.entries.peek(path)?.snap;
  }

  /** Events may have been missed: nothing cached counts as current until read again. */
  markStale(): void {
    this.generation++;
  }

  /**
   * `order` is the zxid that produced this state (mzxid, or the delete's zxid for a missing
   * node). The newer state wins, so a late read can never take the cache back in time.
   */
  put(snap: ConfigSnapshot, order: bigint): ConfigSnapshot {
    const old = this.entries.peek(snap.path);
    if (old && old.generation === this.generation && old.order > order) return old.snap;
    this.entries.set(snap.path, { snap, order, generation: this.generation });
    return snap;
  }

  /** Forget a path (e.g. deleted: the next reader re-reads) */
  drop(path: string): void {
    this.entries.delete(path);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

interface Entry {
  snap: ConfigSnapshot;
  order: bigint;
  generation: number;
}

function cost(s: ConfigSnapshot): number {
  return s.data.length * 2 + s.path.length * 2 + 64;
}
