/**
 * Latest known content per path, keyed by (path, mzxid), bounded by total bytes (LRU).
 * The change feed fills it from the one read it does per backend event, so N clients fetching
 * the version they were just told about cost no further backend read. After events may have
 * been missed, `markStale` stops `get` from answering, but `lastKnown` still does: what a
 * server can offer while the backend is unreachable (no quorum) instead of nothing.
 */
import type { ConfigSnapshot } from "@conifer/protocol";

export class ContentCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  /** entries put before the last markStale() are only lastKnown, never fresh */
  private generation = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  get(path: string): ConfigSnapshot | undefined {
    const e = this.entries.get(path);
    if (!e || e.generation !== this.generation) return undefined;
    // refresh LRU position
    this.entries.delete(path);
    this.entries.set(path, e);
    return e.snap;
  }

  /** The last state read for `path`, even if it may be out of date (see markStale). */
  lastKnown(path: string): ConfigSnapshot | undefined {
    return this.entries.get(path)?.snap;
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
    const old = this.entries.get(snap.path);
    if (old && old.generation === this.generation && old.order > order) return old.snap;
    if (old) {
      this.bytes -= cost(old.snap);
      this.entries.delete(snap.path);
    }
    this.entries.set(snap.path, { snap, order, generation: this.generation });
    this.bytes += cost(snap);
    while (this.bytes > this.maxBytes && this.entries.size > 1) {
      const [k, v] = this.entries.entries().next().value as [string, Entry];
      this.entries.delete(k);
      this.bytes -= cost(v.snap);
    }
    return snap;
  }

  /** Forget a path (e.g. deleted: the next reader re-reads) */
  drop(path: string): void {
    const old = this.entries.get(path);
    if (old) {
      this.bytes -= cost(old.snap);
      this.entries.delete(path);
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
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
