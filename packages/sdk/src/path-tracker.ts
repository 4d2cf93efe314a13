/**
 * Where one path stands in this client, and the single loop that moves it forward.
 *
 * Every piece of information about a path (a pushed `changed` notice, a `subscribe` answer
 * after a (re)connect or `resync`) is only a hint: it says "the server has something newer than
 * you". The tracker turns hints into at most one `fetch` in flight per path, and applies a
 * fetched snapshot only when its mzxid is newer than everything applied or rejected before.
 * That single rule gives the guarantees the SDK promises: values are applied in mzxid order,
 * never twice, never older, and a slow fetch can never overtake a newer one because there is
 * never a second fetch for the same path at the same time.
 *
 * Deletes carry no mzxid ("0"), so a missing node is positioned after everything the tracker
 * had been told before asking; a re-created node always has a larger mzxid than that.
 */
import type { ConfigSnapshot, VersionInfo } from "@conifer/protocol";
import type { Format } from "./cache-store.ts";
import type { SdkError } from "./errors.ts";

/** What the client currently holds for a path. */
export interface Applied {
  exists: boolean;
  /** parsed value; undefined when the path does not exist */
  value: unknown;
  raw: string;
  version: number;
  /** "0" when the path does not exist */
  mzxid: string;
  format: Format;
  source: "server" | "cache";
  /** ordering position: mzxid for existing nodes, see the module comment for missing ones */
  pos: bigint;
}

export type Decoded = { ok: true; value: unknown } | { ok: false; error: SdkError };

/** What a tracker needs from the client that owns it. */
export interface TrackerHost {
  /** pull the current snapshot; throws when the request failed */
  fetch(path: string): Promise<ConfigSnapshot>;
  /** true when connected, greeted and subscribed: fetches may be sent */
  isReady(): boolean;
  /** identifies the current connection (bumped on every connect) */
  epoch(): number;
  decode(snapshot: ConfigSnapshot): Decoded;
  /** called once per applied change, in order; `previous` is what was held before */
  onApplied(tracker: PathTracker, applied: Applied, previous: Applied | undefined): void;
  /** a version was rejected (unparsable): the previous value stays */
  onRejected(tracker: PathTracker, error: SdkError): void;
  /** the tracker is known to be in sync with the server on the current connection */
  onSettled(tracker: PathTracker): void;
  /** waits before retrying a failed or stale fetch (resolves early when the client closes) */
  pause(failures: number): Promise<void>;
}

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);

export class PathTracker {
  current: Applied | undefined;
  /** the connection on which the path was last subscribed / confirmed in sync */
  subscribedEpoch = -1;
  settledEpoch = -1;
  /** highest mzxid of a version that failed to parse: never fetched again */
  private badPos = -1n;
  /** highest mzxid the server said exists */
  private targetPos = -1n;
  /** the server said the path is gone while we hold a value */
  private checkDeleted = false;
  /** zxid of the newest delete notice, when notices carried one */
  private deletedAt = 0n;
  /** bumped by every delete hint, to tell whether one arrived while a fetch was in flight */
  private deleteHints = 0;
  private running = false;

  constructor(
    readonly path: string,
    private readonly host: TrackerHost,
  ) {}

  /** set when the server refused to serve this path (it is then treated as settled) */
  refused: string | undefined;

  /** The server will not serve this path on this connection. */
  reject(message: string, epoch: number): void {
    this.refused = message;
    this.subscribedEpoch = epoch;
    this.settledEpoch = epoch;
    this.host.onSettled(this);
  }

  /** Seeds the value from the local cache; ignored once anything newer is known. */
  seed(applied: Applied): void {
    if (this.current === undefined) this.current = applied;
  }

  /** Position below which nothing is worth fetching. */
  private floor(): bigint {
    return max(this.current?.pos ?? -1n, this.badPos);
  }

  /** True when the server is known to have something this client has not applied. */
  pending(): boolean {
    return this.targetPos > this.floor() || this.checkDeleted;
  }

  /** True when everything up to `zxid` the server announced for this path has been applied. */
  reached(zxid: bigint): boolean {
    return !this.pending() && this.floor() >= zxid;
  }

  /** Where the held value stands (see `Applied.pos`); -1 when nothing is held. */
  position(): bigint {
    return this.floor();
  }

  /**
   * Records what the server says about the path. `zxid` is the notice's transaction id (absent
   * in subscribe answers); `subscribedEpoch` marks a subscribe answer on that connection.
   */
  hint(info: VersionInfo, zxid?: string, subscribedEpoch?: number): void {
    if (info.exists) {
      const m = BigInt(info.mzxid);
      if (m > this.targetPos) this.targetPos = m;
      // a cached value the server confirms is as good as one it sent
      const cur = this.current;
      if (cur && cur.exists && cur.source === "cache" && cur.pos === m) this.current = { ...cur, source: "server" };
    } else {
      const z = zxid !== undefined ? BigInt(zxid) : 0n;
      const cur = this.current;
      if (cur === undefined) this.current = missing(max(z, this.floor()));
      else if (cur.exists) {
        // a delete notice older than what we hold is stale (a fetch already returned a
        // re-created version); subscribe answers carry no zxid and are always checked
        if (zxid === undefined || z > cur.pos) {
          this.checkDeleted = true;
          this.deleteHints++;
          if (z > this.deletedAt) this.deletedAt = z;
        }
      } else if (z > cur.pos) this.current = { ...cur, pos: z };
    }
    if (subscribedEpoch !== undefined) {
      this.subscribedEpoch = subscribedEpoch;
      this.refused = undefined;
    }
    this.kick();
  }

  /** Starts the fetch loop unless it is already running (it re-checks before it stops). */
  kick(): void {
    if (!this.running) void this.run();
  }

  private async run(): Promise<void> {
    this.running = true;
    let failures = 0;
    try {
      while (this.host.isReady() && this.pending()) {
        const askedTarget = this.targetPos;
        const askedDeletes = this.deleteHints;
        let snapshot: ConfigSnapshot;
        try {
          snapshot = await this.host.fetch(this.path);
        } catch {
          // lost connection: the loop stops here and the reconnect handshake kicks it again;
          // anything else (timeout, server error): retry after a backoff pause
          if (this.host.isReady()) await this.host.pause(++failures);
          continue;
        }
        this.apply(snapshot, askedTarget, askedDeletes);
        // the server answered with less than it had announced (it lags behind itself, e.g.
        // a replica): ask again after a pause rather than in a tight loop
        const m = snapshot.exists ? BigInt(snapshot.mzxid) : -1n;
        const behind = snapshot.exists && (m < askedTarget || this.checkDeleted);
        if (behind) await this.host.pause(++failures);
        else failures = 0;
      }
    } finally {
      this.running = false;
    }
    if (this.host.isReady() && !this.pending() && this.subscribedEpoch === this.host.epoch()) {
      this.settledEpoch = this.subscribedEpoch;
      this.host.onSettled(this);
    }
  }

  /** Applies a fetched snapshot if it is newer than what is held. */
  private apply(snapshot: ConfigSnapshot, askedTarget: bigint, askedDeletes: number): void {
    if (snapshot.exists) {
      const m = BigInt(snapshot.mzxid);
      // An existing version at least as new as ours answers every "deleted" hint received
      // before the fetch was sent, and any later one whose zxid it is newer than.
      const heldOrNewer = m > this.floor() || (m === this.current?.pos && this.current.exists);
      if (heldOrNewer && (askedDeletes === this.deleteHints || (this.deletedAt > 0n && this.deletedAt < m)))
        this.checkDeleted = false;
      if (m <= this.floor()) return;
      const decoded = this.host.decode(snapshot);
      if (!decoded.ok) {
        this.badPos = m;
        this.host.onRejected(this, decoded.error);
        return;
      }
      const previous = this.current;
      this.current = {
        exists: true,
        value: decoded.value,
        raw: snapshot.data,
        version: snapshot.version,
        mzxid: snapshot.mzxid,
        format: snapshot.format,
        source: "server",
        pos: m,
      };
      this.host.onApplied(this, this.current, previous);
      return;
    }
    // gone: the delete happened after everything announced before this fetch was sent
    this.checkDeleted = false;
    const pos = max(max(this.floor(), askedTarget), max(this.deletedAt, 0n));
    const previous = this.current;
    this.current = missing(pos);
    if (previous?.exists) this.host.onApplied(this, this.current, previous);
  }
}

function missing(pos: bigint): Applied {
  return { exists: false, value: undefined, raw: "", version: -1, mzxid: "0", format: "text", source: "server", pos };
}
