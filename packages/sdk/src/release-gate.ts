/**
 * Atomic delivery of multi-path changes (releases). The server announces a transaction that
 * changed several subscribed paths with one `changeGroup` (zxid + paths) before their `changed`
 * notices and before any fetch can return its content. The gate keeps each announced group open
 * until every member path has applied that zxid (or, after a reconnect, is settled again), and
 * calls a `watchMany` callback only when none of its paths belongs to an open group and none is
 * still fetching: the values it sees are then never a mix of before and after one transaction.
 * A callback runs once per distinct state of its paths, so once per release however many of its
 * paths the release touched.
 */
import type { ChangeGroup } from "@conifer/protocol";
import type { PathTracker } from "./path-tracker.ts";
import type { ManyCallback, ReleaseCallback, Snapshot } from "./types.ts";

export interface GateHost {
  tracker(path: string): PathTracker | undefined;
  snapshot(path: string): Snapshot | undefined;
  epoch(): number;
  warn(message: string): void;
  /** a group was applied completely (for the instance report) */
  released(zxid: string, paths: string[]): void;
}

interface OpenGroup {
  zxid: bigint;
  paths: string[];
  /** the connection it was announced on: after a reconnect "settled again" also closes it */
  epoch: number;
}

interface ManyWatch {
  paths: string[];
  cb: ManyCallback;
  /** positions of the paths at the last delivery (or at registration) */
  signature: string;
}

export class ReleaseGate {
  private readonly open = new Map<string, OpenGroup>();
  private readonly many = new Set<ManyWatch>();
  private readonly releaseListeners = new Set<ReleaseCallback>();
  private newest = -1n;

  constructor(private readonly host: GateHost) {}

  /** `raw` is decoded from the wire: checked before use */
  onGroup(raw: unknown): void {
    const g = raw as Partial<ChangeGroup> | null;
    if (
      typeof g !== "object" ||
      g === null ||
      typeof g.zxid !== "string" ||
      !/^\d{1,20}$/.test(g.zxid) ||
      !Array.isArray(g.paths) ||
      !g.paths.every((p) => typeof p === "string")
    ) {
      this.host.warn("ignored malformed change group");
      return;
    }
    const paths = g.paths.filter((p) => this.host.tracker(p) !== undefined);
    if (paths.length === 0) return;
    this.open.set(g.zxid, { zxid: BigInt(g.zxid), paths, epoch: this.host.epoch() });
  }

  watchMany(paths: string[], cb: ManyCallback): () => void {
    const w: ManyWatch = { paths: [...new Set(paths)], cb, signature: "" };
    w.signature = this.signature(w);
    this.many.add(w);
    return () => {
      this.many.delete(w);
    };
  }

  onRelease(cb: ReleaseCallback): () => void {
    this.releaseListeners.add(cb);
    return () => {
      this.releaseListeners.delete(cb);
    };
  }

  /** Something moved (a value applied, a path settled): close groups, deliver what is consistent. */
  progress(): void {
    const epoch = this.host.epoch();
    const closed: OpenGroup[] = [];
    for (const [key, g] of this.open) {
      const done = g.paths.every((p) => {
        const t = this.host.tracker(p);
        return !t || t.refused !== undefined || t.reached(g.zxid) || (g.epoch < epoch && t.settledEpoch === epoch);
      });
      if (done) {
        this.open.delete(key);
        closed.push(g);
      }
    }
    for (const w of this.many) this.deliver(w);
    for (const g of closed.sort((a, b) => (a.zxid < b.zxid ? -1 : 1))) {
      if (g.zxid > this.newest) {
        this.newest = g.zxid;
        this.host.released(g.zxid.toString(), g.paths);
      }
      for (const cb of [...this.releaseListeners]) this.call(() => cb({ zxid: g.zxid.toString(), paths: g.paths }));
    }
  }

  clear(): void {
    this.open.clear();
    this.many.clear();
    this.releaseListeners.clear();
  }

  private deliver(w: ManyWatch): void {
    if (!this.consistent(w)) return;
    const signature = this.signature(w);
    if (signature === w.signature) return;
    w.signature = signature;
    const values = new Map<string, Snapshot>();
    for (const p of w.paths) {
      const s = this.host.snapshot(p);
      if (s) values.set(p, s);
    }
    this.call(() => w.cb(values));
  }

  private consistent(w: ManyWatch): boolean {
    const members = new Set(w.paths);
    for (const g of this.open.values()) if (g.paths.some((p) => members.has(p))) return false;
    return w.paths.every((p) => {
      const t = this.host.tracker(p);
      return t !== undefined && t.current !== undefined && !t.pending();
    });
  }

  private signature(w: ManyWatch): string {
    return w.paths.map((p) => this.host.tracker(p)?.position().toString() ?? "-").join(",");
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.host.warn(`watchMany / onRelease callback threw: ${String(e)}`);
    }
  }
}
