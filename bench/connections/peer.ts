/**
 * What the connections benchmark's peer servers (bare socket.io, plain ws) share: they answer
 * the runner's `rss` with their memory and how many connections they hold, exit on `close`,
 * and announce their URL once listening.
 */
import type { AddressInfo } from "node:net";
import { memoryAfterGc, serve } from "../lib/procs.ts";

export function servePeer(
  scheme: "http" | "ws",
  address: AddressInfo | string | null,
  connections: () => number,
  close: () => void,
): void {
  serve({
    rss() {
      return Promise.resolve({ ...memoryAfterGc(), connections: connections() });
    },
    close() {
      close();
      setTimeout(() => process.exit(0), 10);
      return Promise.resolve();
    },
  });
  process.send?.({
    type: "ready",
    url: `${scheme}://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`,
    pid: process.pid,
  });
}
