/** The peer for the connections benchmark: a plain `ws` WebSocket server that only holds connections. */
import { WebSocketServer } from "ws";
import { servePeer } from "./peer.ts";

const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
await new Promise((r) => wss.once("listening", r));
servePeer(
  "ws",
  wss.address(),
  () => wss.clients.size,
  () => wss.close(),
);
