/**
 * One server's view of the gray releases (issue 16) and the rule that decides what an SDK
 * instance is served for a key. The SDK applies a fetched snapshot only when its mzxid is newer
 * than what it holds (sdk path-tracker.ts), so every switch between gray and live content must
 * come with a larger mzxid, on every server alike, restarts included. The rule:
 *   - targeted by an active gray of the key: the gray content, mzxid max(live, gray znode's mzxid)
 *   - anybody else: the live content, mzxid max(live, floor), where the floor is the largest
 *     mzxid of any gray znode (active or aborted) that held the key.
 * Starting or retargeting a gray rewrites its znode (a newer mzxid than anything served before);
 * an abort rewrites it as `aborted`, raising the floor past the gray content; a promote writes
 * the live key in the same multi as the removal, so the live mzxid is past both. The version
 * number stays the live one: the mzxid is what distinguishes gray content.
 */
import type { ConfigSnapshot, VersionInfo } from "@conifer/protocol";
import { ConfigError } from "../errors.ts";
import type { GrayEntry } from "./gray-record.ts";
import { isTargeted, parseGrayTarget, type GrayTarget, type TargetedInstance } from "./gray-target.ts";

/** A gray release appeared, changed or went away (`after` null: removed, i.e. promoted). */
export interface GrayChange {
  id: string;
  before: GrayEntry | null;
  after: GrayEntry | null;
}

const MAX_SERVED = 10_000;

export class GrayView {
  private readonly entries = new Map<string, GrayEntry>();
  /** per key: the active gray holding it (at most one: start refuses a second) */
  private readonly active = new Map<string, GrayEntry>();
  /** parsed targets per state read (a GrayChange's `before` and `after` are asked about side by side) */
  private readonly targets = new WeakMap<GrayEntry, GrayTarget | null>();
  /** per key: the largest mzxid of a gray znode that held it; never lowered */
  private readonly floors = new Map<string, bigint>();
  /** served snapshots by what makes them, so each is one object (its JSON is encoded once) */
  private readonly served = new Map<string, ConfigSnapshot>();

  list(): GrayEntry[] {
    return [...this.entries.values()];
  }

  get(id: string): GrayEntry | undefined {
    return this.entries.get(id);
  }

  /** Stores what the backend holds for `id` (null: no znode) and says what changed. */
  set(id: string, entry: GrayEntry | null): GrayChange | null {
    const before = this.entries.get(id) ?? null;
    if (before && entry && before.mzxid >= entry.mzxid) return null; // a late read of an older state
    if (!before && !entry) return null;
    if (before)
      for (const path of Object.keys(before.record.keys))
        if (this.active.get(path) === before) this.active.delete(path);
    if (entry?.record.state === "active")
      for (const path of Object.keys(entry.record.keys)) this.active.set(path, entry);
    if (entry) {
      this.entries.set(id, entry);
      for (const path of Object.keys(entry.record.keys))
        if ((this.floors.get(path) ?? -1n) < entry.mzxid) this.floors.set(path, entry.mzxid);
    } else {
      this.entries.delete(id);
    }
    return { id, before, after: entry };
  }

  /** The active gray release holding `path`, if any (start refuses a second one). */
  activeFor(path: string): GrayEntry | undefined {
    return this.active.get(path);
  }

  /** Whether `entry` (active) serves its content to `inst`. */
  reaches(entry: GrayEntry | null, inst: TargetedInstance | undefined): boolean {
    if (!entry || !inst || entry.record.state !== "active") return false;
    let target = this.targets.get(entry);
    if (target === undefined) {
      try {
        target = parseGrayTarget(entry.record.target);
      } catch {
        target = null; // a record edited by hand into nonsense reaches nobody
      }
      this.targets.set(entry, target);
    }
    return target !== null && isTargeted(entry.record.id, target, inst);
  }

  /** What `inst` (undefined: not an SDK instance, e.g. REST) is served for a live snapshot. */
  serve(live: ConfigSnapshot, inst: TargetedInstance | undefined): ConfigSnapshot {
    if (this.floors.size === 0 || !live.exists) return live;
    const gray = this.activeFor(live.path);
    const L = BigInt(live.mzxid);
    if (gray && this.reaches(gray, inst)) {
      const key = gray.record.keys[live.path];
      if (key) {
        const mzxid = max(L, gray.mzxid).toString();
        return this.memo(`${live.path}\0${gray.record.id}\0${mzxid}`, () => ({
          ...live,
          mzxid,
          data: key.content,
          format: key.format,
        }));
      }
    }
    const floor = this.floors.get(live.path);
    if (floor === undefined || floor <= L) return live;
    return this.memo(`${live.path}\0\0${live.mzxid}\0${floor}`, () => ({ ...live, mzxid: floor.toString() }));
  }

  /** The version `inst` is told a key is at (subscribe answers): the mzxid `serve` would give. */
  version(live: VersionInfo, inst: TargetedInstance | undefined): VersionInfo {
    if (this.floors.size === 0 || !live.exists) return live;
    const gray = this.activeFor(live.path);
    const L = BigInt(live.mzxid);
    const floor = gray && this.reaches(gray, inst) ? gray.mzxid : this.floors.get(live.path);
    return floor !== undefined && floor > L ? { ...live, mzxid: floor.toString() } : live;
  }

  /** CONFLICT when a key is in an active gray release (other than `except`): a direct edit would bypass it. */
  refuse(paths: Iterable<string>, except?: string): void {
    for (const path of paths) {
      const gray = this.activeFor(path);
      if (gray && gray.record.id !== except)
        throw new ConfigError(
          "CONFLICT",
          `${path} is in gray release ${gray.record.id}: promote or abort the gray release before editing it`,
          { conflicts: [path], grayId: gray.record.id },
        );
    }
  }

  private memo(key: string, make: () => ConfigSnapshot): ConfigSnapshot {
    let snap = this.served.get(key);
    if (!snap) {
      if (this.served.size >= MAX_SERVED) this.served.clear();
      snap = make();
      this.served.set(key, snap);
    }
    return snap;
  }
}

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
