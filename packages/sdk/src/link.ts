/**
 * The SDK's one socket.io connection and its life cycle: connect, run the caller's handshake
 * (hello + subscribe), report "connected" only after it succeeded, and on any loss reconnect
 * with exponential backoff and full jitter. socket.io-client's own reconnection is switched off
 * because its jitter is a ±factor around the exponential delay, not full jitter, and because
 * the handshake has to run (and may fail) before a connection counts as usable.
 */
import { io, type Socket } from "socket.io-client";
import { SOCKET_PATH, type Ack, type ClientToServerEvents, type ServerToClientEvents } from "@conifer/protocol";
import { Backoff } from "@conifer/shared";
import type { ResolvedOptions } from "./options.ts";

export type ClientState = "connecting" | "connected" | "disconnected" | "closed";
export type SdkSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
/** the socket as seen through `.timeout(ms)`: every acknowledged emit can fail */
export type TimedSocket = ReturnType<SdkSocket["timeout"]>;

/** A request the server answered with `{ ok: false }`. */
export class RemoteError extends Error {
  override readonly name = "RemoteError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface LinkHandlers {
  /** runs on every new connection before it counts as ready; throwing drops the connection */
  handshake(epoch: number): Promise<void>;
  onReady(epoch: number): void;
  onState(state: ClientState): void;
  /** a connection attempt failed or an established connection was lost */
  onFailure(reason: string): void;
}

export class Link {
  readonly socket: SdkSocket;
  private currentState: ClientState = "connecting";
  private currentEpoch = 0;
  private readyEpoch = -1;
  private readonly backoff: Backoff;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly handlers: LinkHandlers,
    random: () => number = Math.random,
  ) {
    this.backoff = new Backoff(options.reconnect, random);
    // a path in the URL is a reverse-proxy prefix (http://host/conifer), not a socket.io namespace
    const url = new URL(options.url);
    const prefix = url.pathname.replace(/\/+$/, "");
    this.socket = io(url.origin, {
      path: prefix + SOCKET_PATH,
      transports: ["websocket"],
      reconnection: false,
      autoConnect: false,
      forceNew: true,
      timeout: options.requestTimeoutMs,
      auth: options.token !== undefined ? { token: options.token } : {},
    });
    this.socket.on("connect", () => this.onConnect());
    this.socket.on("disconnect", (reason) => this.onLost(`disconnected: ${reason}`));
    this.socket.on("connect_error", (err) => this.onLost(`connect failed: ${err.message}`));
  }

  get state(): ClientState {
    return this.currentState;
  }

  get epoch(): number {
    return this.currentEpoch;
  }

  /** connected, greeted and subscribed on the current connection */
  get ready(): boolean {
    return !this.closed && this.readyEpoch === this.currentEpoch && this.socket.connected;
  }

  start(): void {
    this.setState("connecting");
    this.socket.connect();
  }

  /** Sends a request and unwraps its Ack; rejects when not connected, on timeout or on `ok: false`. */
  async request<T>(send: (s: TimedSocket) => Promise<Ack<T>>): Promise<T> {
    if (this.closed || !this.socket.connected) throw new Error("not connected");
    // the acknowledgement is decoded from the wire: typed as what may actually arrive
    const res: unknown = await send(this.socket.timeout(this.options.requestTimeoutMs));
    if (!res || typeof res !== "object") throw new Error("malformed acknowledgement");
    const ack = res as { ok?: unknown; value: T; error?: { code?: string; message?: string } | null };
    if (!ack.ok) throw new RemoteError(ack.error?.code ?? "UNKNOWN", ack.error?.message ?? "request failed");
    return ack.value;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.socket.disconnect();
    this.setState("closed");
  }

  private onConnect(): void {
    if (this.closed) return;
    const epoch = ++this.currentEpoch;
    this.handlers.handshake(epoch).then(
      () => {
        if (this.closed || epoch !== this.currentEpoch || !this.socket.connected) return;
        this.readyEpoch = epoch;
        this.backoff.reset();
        this.setState("connected");
        this.handlers.onReady(epoch);
      },
      (e: unknown) => {
        if (this.closed || epoch !== this.currentEpoch) return;
        this.options.logger.warn(`handshake with ${this.options.url} failed: ${(e as Error).message}`);
        // dropping the socket leads to onLost, which schedules the next attempt
        if (this.socket.connected) this.socket.disconnect();
        else this.onLost("handshake failed");
      },
    );
  }

  private onLost(reason: string): void {
    if (this.closed) return;
    this.readyEpoch = -1;
    this.handlers.onFailure(reason);
    this.setState("disconnected");
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.timer) return;
    const delay = this.backoff.next();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.closed || this.socket.connected) return;
      this.setState("connecting");
      this.socket.connect();
    }, delay);
  }

  private setState(state: ClientState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.handlers.onState(state);
  }
}
