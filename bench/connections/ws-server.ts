/** The peer for the connections benchmark: a plain `ws` WebSocket server that only holds connections. */
import { WebSocketServer } from "ws";
import { memoryAfterGc, serve } from "../lib/procs.ts";

const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
await new Promise((r) => wss.once("listening", r));
const address = wss.address();
serve({
  rss() {
    return Promise.resolve({ ...memoryAfterGc(), connections: wss.clients.size });
  },
  close() {
    wss.close();
    setTimeout(() => process.exit(0), 10);
    return Promise.resolve();
  },
});
process.send?.({
  type: "ready",
  url: `ws://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`,
  pid: process.pid,
});
