/**
 * A connection's way out. The first frame of a turn is written at once (a lone reply pays no
 * delay); when a second follows in the same turn (pipelined requests answered together, a
 * reply and a notification) the socket is corked until the turn ends, so the rest leave in one
 * writev instead of a syscall each - ZooKeeper's NIOServerCnxn likewise gathers what is queued
 * for a socket into one write. A client that does not read is cut off once its unread output
 * passes the bound.
 */
import type net from "node:net";
import type { ConnectionInfo } from "./connection-info.ts";
import type { ServerCounters } from "./stats.ts";

export class Output {
  /** frames written in this turn so far (0 after the turn ends) */
  private inTurn = 0;
  private readonly endTurn = (): void => {
    if (this.inTurn > 1) this.socket.uncork();
    this.inTurn = 0;
  };

  constructor(
    private readonly socket: net.Socket,
    private readonly maxOutputBytes: number,
    private readonly info: ConnectionInfo,
    private readonly counters: ServerCounters,
    private readonly overflow: () => void,
  ) {}

  write(frame: Buffer): void {
    const n = ++this.inTurn;
    if (n === 1) process.nextTick(this.endTurn);
    else if (n === 2) this.socket.cork();
    this.socket.write(frame);
    this.info.sent++;
    this.counters.sent++;
    // a client that does not read must not make us hold its replies forever
    if (this.socket.writableLength > this.maxOutputBytes) this.overflow();
  }
}
