/**
 * One socket.io connection per tab for live views. It watches the whole tree once
 * (`watchTree("/")`) and fans treeEvents out to subscribers, re-watching after every reconnect;
 * it also tracks the connection and the server's `backendState` for the top bar, and passes on
 * `changeActivity` (change requests the user wrote or may review). Reconnects are
 * its own, with the shared full-jitter backoff (socket.io's reconnection is off): a server that
 * shuts down (restart, deploy) closes the socket itself, and socket.io would then not retry at all.
 */
"use client";
import type { ChangeActivity, ClientToServerEvents, ServerToClientEvents, TreeEvent } from "@conifer/protocol";
import { Backoff } from "@conifer/shared";
import { io, type Socket } from "socket.io-client";

export type LinkState =
  | { status: "connecting" }
  | { status: "connected"; writable: boolean; message?: string }
  | { status: "disconnected"; message: string };

type TreeListener = (e: TreeEvent) => void;
type StateListener = (s: LinkState) => void;
type ReconnectListener = () => void;
type ChangeListener = (a: ChangeActivity) => void;

/** 1 s doubling to 15 s, drawn with full jitter: a restarted server is not hit by every tab at once */
const RECONNECT = { minDelayMs: 1_000, maxDelayMs: 15_000 };

class LiveLink {
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  private treeListeners = new Set<TreeListener>();
  private stateListeners = new Set<StateListener>();
  private reconnectListeners = new Set<ReconnectListener>();
  private changeListeners = new Set<ChangeListener>();
  private connectedOnce = false;
  private readonly backoff = new Backoff(RECONNECT);
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  state: LinkState = { status: "connecting" };

  start(): void {
    if (this.socket) return;
    // the client-side path constant lives in @conifer/protocol too; kept literal here so the
    // console bundle does not pull the protocol's runtime validators
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      path: "/socket.io",
      transports: ["websocket"],
      reconnection: false,
    });
    this.socket = socket;
    socket.on("connect", () => {
      this.backoff.reset();
      socket.emit("watchTree", { path: "/" });
      this.setState({ status: "connected", writable: this.state.status === "connected" ? this.state.writable : true });
      if (this.connectedOnce) for (const l of this.reconnectListeners) l();
      this.connectedOnce = true;
    });
    socket.on("disconnect", (reason) => {
      this.setState({ status: "disconnected", message: "Live updates paused: reconnecting to the server…" });
      // after a server-side close too (restart, deploy, a revoked session): after a revocation
      // the retry is refused once and stops there
      if (reason !== "io client disconnect") this.retry(socket);
    });
    socket.on("connect_error", () => {
      this.setState({ status: "disconnected", message: "Cannot reach the server for live updates; retrying…" });
      // not active: the server refused the connection (signed out, revoked); retrying would not help
      if (socket.active) this.retry(socket);
    });
    socket.on("treeEvent", (e) => {
      for (const l of this.treeListeners) l(e);
    });
    socket.on("backendState", (s) => {
      this.setState({ status: "connected", writable: s.writable, ...(s.message ? { message: s.message } : {}) });
    });
    socket.on("changeActivity", (a) => {
      for (const l of this.changeListeners) l(a);
    });
    socket.on("resync", () => {
      for (const l of this.reconnectListeners) l();
    });
  }

  private retry(socket: Socket): void {
    if (this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!socket.connected) socket.connect();
    }, this.backoff.next());
  }

  private setState(s: LinkState): void {
    this.state = s;
    for (const l of this.stateListeners) l(s);
  }

  onTree(l: TreeListener): () => void {
    this.treeListeners.add(l);
    return () => this.treeListeners.delete(l);
  }

  onState(l: StateListener): () => void {
    this.stateListeners.add(l);
    return () => this.stateListeners.delete(l);
  }

  onChangeActivity(l: ChangeListener): () => void {
    this.changeListeners.add(l);
    return () => this.changeListeners.delete(l);
  }

  /** called after a reconnect or resync: events may have been missed, so refetch everything */
  onReconnect(l: ReconnectListener): () => void {
    this.reconnectListeners.add(l);
    return () => this.reconnectListeners.delete(l);
  }
}

let link: LiveLink | null = null;

export function liveLink(): LiveLink {
  if (!link) link = new LiveLink();
  return link;
}
