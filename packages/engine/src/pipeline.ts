/**
 * The commit pipeline: requests are validated and applied to the in-memory tree in the order
 * they are issued (that order is the linearization), their log records are appended at once,
 * and their outcomes - replies, watch notifications, state changes - are released strictly in
 * issue order once every record appended before them is durable. So a read issued behind a
 * pending write is held back with it (no dirty reads), concurrent writers share one fsync
 * (group commit), and nothing is acknowledged before it is on disk.
 */
import { CoordinatorError } from "@conifer/coordinator";

export interface LogSink {
  append(record: { zxid: bigint; payload: Uint8Array }): Promise<void>;
}

interface Outcome {
  barrier: number;
  release: () => void;
  fail: (err: Error) => void;
}

export class CommitPipeline {
  private appended = 0;
  private durable = 0;
  private readonly done = new Set<number>();
  private readonly queue: Outcome[] = [];
  private fatal: Error | null = null;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly sink: LogSink,
    private readonly onFatal: (err: Error) => void,
  ) {}

  get failure(): Error | null {
    return this.fatal;
  }

  /** nothing waits for the disk: an outcome scheduled now would be released at once */
  get quiet(): boolean {
    return this.queue.length === 0 && this.durable === this.appended && this.fatal === null;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** appends a record; the returned barrier is passed to `then` for the outcome that needs it */
  log(zxid: bigint, payload: Uint8Array): number {
    const seq = ++this.appended;
    this.sink.append({ zxid, payload }).then(
      () => {
        this.done.add(seq);
        while (this.done.delete(this.durable + 1)) this.durable++;
        this.drain();
      },
      (err: unknown) => this.die(err instanceof Error ? err : new Error(String(err))),
    );
    return seq;
  }

  /**
   * schedules an outcome after everything appended so far (or after `barrier`) is durable and
   * after every outcome scheduled before it
   */
  then(release: () => void, fail: (err: Error) => void, barrier = this.appended): void {
    if (this.fatal) {
      fail(this.wrap(this.fatal));
      return;
    }
    if (this.queue.length === 0 && barrier <= this.durable) {
      release();
      return;
    }
    this.queue.push({ barrier, release, fail });
  }

  /** resolves when nothing is waiting for the disk (or never will be: the log failed) */
  idle(): Promise<void> {
    if (this.fatal || (this.queue.length === 0 && this.durable === this.appended)) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private drain(): void {
    while (this.queue.length > 0 && (this.queue[0] as Outcome).barrier <= this.durable) {
      const o = this.queue.shift() as Outcome;
      try {
        o.release();
      } catch {
        // a throwing watcher or listener must not stall everyone else's replies
      }
    }
    if (this.queue.length === 0 && this.durable === this.appended) {
      const ws = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of ws) w();
    }
  }

  private wrap(err: Error): CoordinatorError {
    return new CoordinatorError("SYSTEM_ERROR", `engine storage failed: ${err.message}`, undefined, { cause: err });
  }

  private die(err: Error): void {
    if (this.fatal) return;
    this.fatal = err;
    const q = this.queue.splice(0);
    for (const o of q) o.fail(this.wrap(err));
    const ws = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of ws) w();
    this.onFatal(err);
  }
}
