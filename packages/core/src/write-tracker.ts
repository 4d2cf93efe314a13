/**
 * Which writes this process has in flight, kept by the HistoryRecorder for itself. The change
 * feed sees the backend event of our own write before (or while) the recorder writes its row;
 * `observe` waits here until the write is done, so our own writes are never mistaken for
 * external ones, and a reconcile leaves the intents of writes still in flight alone.
 */

/** One write in flight, as the writer sees it while it runs. */
export interface TrackedWrite {
  /** this write's intent: not attributed elsewhere, nor closed by a reconcile, while it runs */
  hold(intentId: string): void;
  /**
   * the outcome is unknown (answer lost): the intent stays pending as anyone's, so if the change
   * did land it is attributed to its author after the usual grace
   */
  release(intentId: string): void;
  /** one more path the write lands on (a sequential create's actual name) */
  also(path: string): void;
}

export class WriteTracker {
  private readonly inflight = new Map<string, Set<Promise<unknown>>>();
  private readonly held = new Set<string>();

  /** Runs `work` while `paths` (and what it adds) count as being written by this process. */
  async run<T>(paths: readonly string[], work: (write: TrackedWrite) => Promise<T>): Promise<T> {
    const mine = new Set<string>();
    const intents = new Set<string>();
    let settled!: () => void;
    const guard = new Promise<void>((resolve) => (settled = resolve));
    const add = (path: string) => {
      if (mine.has(path)) return;
      mine.add(path);
      let set = this.inflight.get(path);
      if (!set) this.inflight.set(path, (set = new Set()));
      set.add(guard);
    };
    for (const path of paths) add(path);
    const write: TrackedWrite = {
      hold: (id) => {
        intents.add(id);
        this.held.add(id);
      },
      release: (id) => {
        intents.delete(id);
        this.held.delete(id);
      },
      also: add,
    };
    try {
      return await work(write);
    } finally {
      for (const id of intents) this.held.delete(id);
      for (const path of mine) {
        const set = this.inflight.get(path);
        set?.delete(guard);
        if (set?.size === 0) this.inflight.delete(path);
      }
      settled();
    }
  }

  /** true while a write of this process that recorded intent `id` runs */
  holds(intentId: string): boolean {
    return this.held.has(intentId);
  }

  /** Resolves once no write of this process on `path` is in flight. */
  async idle(path: string): Promise<void> {
    for (;;) {
      const set = this.inflight.get(path);
      if (!set || set.size === 0) return;
      await Promise.all(set);
    }
  }

  /** Resolves once every write of this process that was in flight when called has finished. */
  async idleAll(): Promise<void> {
    const all = new Set<Promise<unknown>>();
    for (const set of this.inflight.values()) for (const p of set) all.add(p);
    await Promise.all(all);
  }
}
