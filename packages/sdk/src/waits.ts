/**
 * The two kinds of waiting the client does, both cancelled at close so nothing outlives it:
 * `sleep` re-checks a condition whenever anything changed (`wake`) or a ceiling passed, and
 * `pause` is a fixed retry delay that only closing cuts short.
 */
export class Waits {
  private wakers = new Set<() => void>();
  private readonly pauses = new Set<() => void>();
  private closed = false;

  /** resolves every pending sleep so its caller re-checks its condition */
  wake(): void {
    const wakers = this.wakers;
    this.wakers = new Set();
    for (const w of wakers) w();
  }

  /** resolves on the next wake() or after ms, whichever comes first */
  sleep(ms: number): Promise<void> {
    return this.wait(this.wakers, ms);
  }

  /** resolves after ms, or at close */
  pause(ms: number): Promise<void> {
    return this.wait(this.pauses, ms);
  }

  close(): void {
    this.closed = true;
    for (const p of [...this.pauses]) p();
    this.wake();
  }

  private wait(set: Set<() => void>, ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      set.add(done);
    });
  }
}
