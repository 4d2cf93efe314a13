/**
 * Which paths this process is writing right now. The change feed sees the backend event of our
 * own write before (or while) the writer records its history row; it waits here until the
 * writer is done, so our own writes are never mistaken for external ones.
 */
export class WriteTracker {
  private readonly inflight = new Map<string, Set<Promise<unknown>>>();
  /** intent ids this process created and has not finished (a pending intent not here is foreign) */
  readonly ownIntents = new Set<string>();

  /** Runs `work` while `paths` count as being written by this process. */
  async run<T>(paths: readonly string[], work: () => Promise<T>): Promise<T> {
    const p = work();
    const guard = p.then(
      () => undefined,
      () => undefined,
    );
    for (const path of paths) {
      let set = this.inflight.get(path);
      if (!set) this.inflight.set(path, (set = new Set()));
      set.add(guard);
    }
    try {
      return await p;
    } finally {
      for (const path of paths) {
        const set = this.inflight.get(path);
        set?.delete(guard);
        if (set?.size === 0) this.inflight.delete(path);
      }
    }
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

  busy(path: string): boolean {
    return (this.inflight.get(path)?.size ?? 0) > 0;
  }
}
