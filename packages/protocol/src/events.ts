/**
 * Typed socket.io events, declared once and shared by the server
 * (`Server<ClientToServerEvents, ServerToClientEvents>`), the SDK and the console.
 */
import type { ChangeActivity } from "./change-activity.ts";
import type { ChangeGroup, ChangeNotice, ConfigSnapshot, Hello, TreeEvent, VersionInfo } from "./notices.ts";

/** Every acknowledgement is either a result or a readable error with a stable code. */
export type Ack<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

export interface ClientToServerEvents {
  /** SDK: identify this instance (registered as an ephemeral znode while connected) */
  hello: (hello: Hello, ack: (res: Ack<{ serverId: string }>) => void) => void;
  /** start receiving `changed` for these paths; returns where each stands now */
  subscribe: (req: { paths: string[] }, ack: (res: Ack<VersionInfo[]>) => void) => void;
  unsubscribe: (req: { paths: string[] }, ack?: (res: Ack<null>) => void) => void;
  /** pull the current content of a path (served from memory, keyed by version) */
  fetch: (req: { path: string }, ack: (res: Ack<ConfigSnapshot>) => void) => void;
  /**
   * SDK: the version of a path the application has now applied; `release` is the zxid of the
   * newest multi-path change (release) it has applied completely
   */
  applied: (req: { path: string; version: number; mzxid: string; release?: string }) => void;
  /** console: receive `treeEvent` for this path and everything below it */
  watchTree: (req: { path: string }, ack?: (res: Ack<null>) => void) => void;
  unwatchTree: (req: { path: string }) => void;
}

export interface ServerToClientEvents {
  changed: (notice: ChangeNotice) => void;
  /**
   * one transaction (a multi, e.g. a release) changed several subscribed paths: sent before
   * their `changed` notices, and before any fetch can answer content of that transaction
   */
  changeGroup: (group: ChangeGroup) => void;
  treeEvent: (event: TreeEvent) => void;
  /** the server lost track (e.g. its backend session expired): compare versions again */
  resync: (info: { reason: string }) => void;
  /** backend health, for the console banner */
  backendState: (state: { writable: boolean; message?: string }) => void;
  /**
   * console: a change request was created, edited, reviewed, published... Sent to its author and
   * to the users who may approve every key of it, on every server process
   */
  changeActivity: (activity: ChangeActivity) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  instanceId?: string;
}
