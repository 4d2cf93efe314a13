/**
 * The second peer for the connections benchmark: a bare socket.io server (no handlers, no
 * authentication) holding connections. It is the floor for anything built on socket.io, so the
 * table separates what socket.io itself costs per connection from what Conifer adds.
 */
import { createServer } from "node:http";
import { Server } from "socket.io";
import { memoryAfterGc, serve } from "../lib/procs.ts";

const http = createServer();
const io = new Server(http, { serveClient: false });
await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
const address = http.address();
serve({
  rss() {
    return Promise.resolve({ ...memoryAfterGc(), connections: io.engine.clientsCount });
  },
  close() {
    void io.close();
    setTimeout(() => process.exit(0), 10);
    return Promise.resolve();
  },
});
process.send?.({
  type: "ready",
  url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`,
  pid: process.pid,
});
