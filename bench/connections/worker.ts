/**
 * Idle-connection load generator (one of a few processes): opens `count` connections, either
 * Conifer SDK clients (connected: hello + subscribe done) or plain WebSocket clients, and holds
 * them until `stop`.
 */
import type { ConiferClient } from "@conifer/sdk";
import { io } from "socket.io-client";
import WebSocket from "ws";
import { pool, serve } from "../lib/procs.ts";
import { loadClient } from "../lib/sdk-client.ts";

const closers: (() => unknown)[] = [];

async function sdkClient(url: string, token: string | undefined): Promise<void> {
  const c: ConiferClient = loadClient(url, token);
  closers.push(() => c.close());
  await new Promise<void>((resolve) => {
    const off = c.on("state", (s) => {
      if (s !== "connected") return;
      resolve();
      off();
    });
  });
}

async function wsClient(url: string): Promise<void> {
  const ws = new WebSocket(url);
  closers.push(() => ws.terminate());
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
}

async function socketIoClient(url: string): Promise<void> {
  const s = io(url, { transports: ["websocket"], reconnection: false });
  closers.push(() => s.close());
  await new Promise<void>((resolve, reject) => {
    s.once("connect", () => resolve());
    s.once("connect_error", reject);
  });
}

const clientOf = { sdk: sdkClient, socketio: socketIoClient, ws: wsClient } as const;

serve({
  async start(msg) {
    const items = Array.from({ length: Number(msg.count) }, (_, i) => i);
    const connect = clientOf[msg.kind as keyof typeof clientOf];
    await pool(items, 100, () => connect(String(msg.url), msg.token as string | undefined));
  },
  async stop() {
    await pool(closers, 500, async (c) => {
      await c();
    });
  },
});
process.send?.({ type: "ready" });
