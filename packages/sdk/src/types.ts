/** The SDK's public shapes: the client interface, value metadata, callbacks and events. */
import type { Format } from "./cache-store.ts";
import type { SdkError } from "./errors.ts";
import type { ClientState } from "./link.ts";

/** What accompanies every value: which version it is and where it came from. */
export interface ValueMeta {
  path: string;
  version: number;
  /** "0" when the path does not exist */
  mzxid: string;
  format: Format;
  /** the content as the server sent it */
  raw: string;
  /** "cache": loaded from the cache dir and not (yet) confirmed by the server */
  source: "server" | "cache";
  exists: boolean;
}

export interface Snapshot<T = unknown> {
  value: T | undefined;
  meta: ValueMeta;
}

export type WatchCallback<T = unknown> = (value: T | undefined, meta: ValueMeta) => void;

/**
 * `watchMany`: every watched path's snapshot, all from one consistent point (never a mix of
 * before and after one multi-path change); paths with nothing known yet are absent.
 */
export type ManyCallback = (snapshots: ReadonlyMap<string, Snapshot>) => void;

/** A multi-path change (a release) this client has now applied completely. */
export interface ReleaseInfo {
  zxid: string;
  /** the paths of the release this client watches */
  paths: string[];
}
export type ReleaseCallback = (release: ReleaseInfo) => void;

export interface ClientEvents {
  state: ClientState;
  error: SdkError;
  [key: string]: unknown;
}

export interface ConiferClient {
  /** identifies this client in the server's instance registry */
  readonly instanceId: string;
  readonly state: ClientState;
  /** the parsed value; throws SdkError NOT_FOUND / UNREACHABLE / CLOSED */
  get<T = unknown>(path: string): Promise<T>;
  /** called with each newer value of the path, in order; returns the unsubscribe function */
  watch<T = unknown>(path: string, callback: WatchCallback<T>): () => void;
  /**
   * called with a consistent snapshot of all `paths` whenever what the client holds for them
   * changes: once per transaction, never a mix of old and new of one multi (release)
   */
  watchMany(paths: string[], callback: ManyCallback): () => void;
  /** called once each multi-path change (release) touching watched paths is applied completely */
  onRelease(callback: ReleaseCallback): () => void;
  /** what the client holds for a path right now (undefined when nothing is known) */
  getSnapshot<T = unknown>(path: string): Snapshot<T> | undefined;
  on<K extends "state" | "error">(event: K, listener: (arg: ClientEvents[K]) => void): () => void;
  /** disconnects, cancels pending waits and flushes the cache */
  close(): Promise<void>;
}
