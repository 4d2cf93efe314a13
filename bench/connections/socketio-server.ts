/**
 * The second peer for the connections benchmark: a bare socket.io server (no handlers, no
 * authentication) holding connections. It is the floor for anything built on socket.io, so the
 * table separates what socket.io itself costs per connection from what Conifer adds.
 */
import { createServer } from "node:http";
import { Server } from "socket.io";
import { servePeer } from "./peer.ts";

const http = createServer();
const io = new Server(http, { serveClient: false });
await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
servePeer(
  "http",
  http.address(),
  () => io.engine.clientsCount,
  () => void io.close(),
);
