/**
 * Paces the notifications of one change across connections. A change watched by thousands of
 * sessions would otherwise be written in one synchronous loop (a loopback write costs tens of
 * microseconds), and the re-reads of the sessions notified first would wait for the last
 * notification to leave. Here the first `chunk` notifications of a turn leave at once (a small
 * fan-out pays nothing) and the rest leave `chunk` per event-loop turn, so the requests that
 * arrive meanwhile are read and answered between chunks: what ZooKeeper gets from writing on a
 * selector thread while its workers answer reads.
 *
 * Order is kept: releases run in push order, and a connection holds the replies queued behind
 * its notification until the notification is released (reply-queue.ts), so a client still sees
 * the event before any answer that reflects the change.
 */
export class NotificationPacer {
  private readonly queue: (() => void)[] = [];
  private head = 0;
  /** released in this turn so far: the budget of the current turn */
  private releasedThisTurn = 0;
  private scheduled = false;

  constructor(private readonly chunk: number) {}

  /** `release` writes one notification; it runs now, or in a later turn after those pushed before it */
  push(release: () => void): void {
    if (this.head === this.queue.length && this.releasedThisTurn < this.chunk) {
      this.releasedThisTurn++;
      this.schedule();
      release();
      return;
    }
    this.queue.push(release);
    this.schedule();
  }

  /** notifications waiting for a later turn */
  get pending(): number {
    return this.queue.length - this.head;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate runs after the poll phase: the I/O that arrived meanwhile is handled first
    setImmediate(this.turn);
  }

  private readonly turn = (): void => {
    this.scheduled = false;
    this.releasedThisTurn = 0;
    const end = Math.min(this.queue.length, this.head + this.chunk);
    while (this.head < end) {
      const release = this.queue[this.head];
      this.head++;
      this.releasedThisTurn++;
      try {
        release?.();
      } catch {
        // one connection's failure is its own (it closes); the others still get theirs
      }
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else this.schedule();
  };
}
