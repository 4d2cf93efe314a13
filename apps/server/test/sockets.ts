/**
 * socket.io clients for the server suites: typed, websocket only, no reconnection unless asked
 * (a test says when a socket comes back), each kept so the suite disconnects them all at its end
 * (`closeAll` in useServer's `closing`).
 */
import type { ClientToServerEvents, ServerToClientEvents } from "@conifer/protocol";
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Sockets {
  /** a socket to `url` with the suite's defaults, `options` over them */
  open(url: string, options?: Partial<ManagerOptions & SocketOptions>): ClientSocket;
  closeAll(): void;
}

export function socketsOfSuite(): Sockets {
  const open: ClientSocket[] = [];
  return {
    open(url, options = {}) {
      const s: ClientSocket = io(url, {
        path: "/socket.io",
        transports: ["websocket"],
        forceNew: true,
        reconnection: false,
        ...options,
      });
      open.push(s);
      return s;
    },
    closeAll() {
      for (const s of open.splice(0)) s.disconnect();
    },
  };
}

/** "connected", or the message of the handshake's refusal (connect_error) */
export function connectOutcome(s: Socket): Promise<string> {
  return new Promise((resolve) => {
    s.once("connect", () => resolve("connected"));
    s.once("connect_error", (err) => resolve(err.message));
  });
}

/** resolves once `s` is connected; rejects with the handshake's refusal */
export function connected<S extends Socket>(s: S): Promise<S> {
  return new Promise((resolve, reject) => {
    s.once("connect", () => resolve(s));
    s.once("connect_error", reject);
  });
}
