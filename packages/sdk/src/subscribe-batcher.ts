/**
 * Collects paths the application starts using and subscribes them in one request per tick,
 * so a burst of `get`/`watch` calls at start-up costs one round trip. Paths added while the
 * connection is not ready wait for it; a failed request is retried after a pause.
 */
import type { Logger } from "./options.ts";

export class SubscribeBatcher {
  private readonly pending = new Set<string>();
  private scheduled = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly send: (paths: string[], epoch: number) => Promise<void>,
    private readonly isReady: () => boolean,
    private readonly epoch: () => number,
    private readonly logger: Logger,
    private readonly retryDelayMs = 1_000,
  ) {}

  add(paths: Iterable<string>): void {
    for (const p of paths) this.pending.add(p);
    this.flushSoon();
  }

  flushSoon(): void {
    if (this.scheduled || this.stopped || this.pending.size === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  private flush(): void {
    if (this.stopped || !this.isReady() || this.pending.size === 0) return;
    const paths = [...this.pending];
    this.pending.clear();
    const epoch = this.epoch();
    this.send(paths, epoch).catch((e: unknown) => {
      if (this.stopped) return;
      // on a lost connection the next handshake subscribes everything anyway
      if (!this.isReady() || this.epoch() !== epoch) return;
      this.logger.warn(`subscribe failed, retrying: ${(e as Error).message}`);
      for (const p of paths) this.pending.add(p);
      this.retryTimer ??= setTimeout(() => {
        this.retryTimer = undefined;
        this.flushSoon();
      }, this.retryDelayMs);
    });
  }
}
