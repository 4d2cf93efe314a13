/**
 * The change feed's queue of paths that had backend events and are waiting to be read and
 * announced. Paths are handed to the feed one batch at a time (a batch may grow while it is
 * read, see `ChangeFeed.processBatch`), so every notice of one transaction leaves in one batch.
 * `settled(path)` lets a fetch wait until the path's pending events have been announced: an SDK
 * then always hears of a transaction before it can receive content written by it.
 */
export type BatchProcessor = (paths: string[], more: () => string[]) => Promise<void>;

export class FeedBatches {
  private readonly pending = new Set<string>();
  /** per path with events not yet announced: resolved when they are */
  private readonly due = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  private running: Promise<void> | undefined;

  constructor(
    private readonly process: BatchProcessor,
    private readonly onError: (err: unknown) => void,
  ) {}

  add(path: string): void {
    this.pending.add(path);
    if (!this.due.has(path)) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.due.set(path, { promise, resolve });
    }
    this.running ??= this.loop();
  }

  /** Resolves once every event received so far for `path` has been announced. */
  settled(path: string): Promise<void> | undefined {
    return this.due.get(path)?.promise;
  }

  get size(): number {
    return this.due.size;
  }

  /** Waits until every event received so far has been processed. */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private take(into: Set<string>): string[] {
    const paths = [...this.pending];
    this.pending.clear();
    for (const p of paths) into.add(p);
    return paths;
  }

  private async loop(): Promise<void> {
    // let the events that arrive together (one transaction's) join the first batch
    await Promise.resolve();
    try {
      while (this.pending.size > 0) {
        const read = new Set<string>();
        try {
          await this.process(this.take(read), () => this.take(read));
        } catch (err) {
          this.onError(err);
        }
        for (const p of read) {
          if (this.pending.has(p)) continue; // a newer event: announced by the next batch
          this.due.get(p)?.resolve();
          this.due.delete(p);
        }
      }
    } finally {
      this.running = undefined;
    }
  }
}
