/**
 * The promise `WireClient.start()` returns: settled once, by the session's first attach (with
 * every auth accepted), by a failure that ends the session, or by the connect deadline. Later
 * attaches are state changes, not this promise's business.
 */
import { CoordinatorError } from "@conifer/coordinator";
import { MAX_TIMER_MS } from "./members.ts";

export class FirstConnect {
  readonly promise: Promise<void>;
  private settle: { resolve(): void; reject(err: Error): void } | null = null;

  /** `onDeadline` ends the session when no member accepted it within `deadlineMs` */
  constructor(deadlineMs: number, onDeadline: () => void) {
    this.promise = new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(
        () => {
          if (!this.settle) return;
          this.settle = null;
          onDeadline();
          reject(
            new CoordinatorError(
              "CONNECTION_LOSS",
              `no ZooKeeper member accepted a session within ${String(deadlineMs)} ms (members down or no quorum)`,
            ),
          );
        },
        Math.min(deadlineMs, MAX_TIMER_MS),
      );
      this.settle = {
        resolve: () => {
          clearTimeout(deadline);
          resolve();
        },
        reject: (err) => {
          clearTimeout(deadline);
          reject(err);
        },
      };
    });
  }

  /** resolves the promise; false when it was settled already (this attach is a reconnect) */
  resolve(): boolean {
    const s = this.settle;
    this.settle = null;
    s?.resolve();
    return s !== null;
  }

  /** rejects the promise unless it was settled already */
  reject(err: Error): void {
    const s = this.settle;
    this.settle = null;
    s?.reject(err);
  }
}
