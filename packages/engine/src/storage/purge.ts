/**
 * Retention, as ZooKeeper's autopurge does it: keep the newest N snapshots and every log
 * segment needed to replay forward from the oldest of them, so that falling back to an older
 * snapshot (when a newer one turns out damaged) still finds its log.
 */
import { unlink } from "node:fs/promises";
import { join } from "node:path";

import { listDataDir, syncDir } from "./files.ts";
import type { SegmentInfo } from "./recovery.ts";

export interface PurgeResult {
  snapshots: string[];
  segments: string[];
}

/**
 * Deletes what retention no longer needs. `segments` is the store's ordered list, the open
 * segment last; it is never deleted because only a segment with a successor can be.
 */
export async function purge(
  dir: string,
  segments: readonly SegmentInfo[],
  retain: number,
  fsync: boolean,
): Promise<PurgeResult> {
  const { snapshots } = await listDataDir(dir);
  const result: PurgeResult = { snapshots: [], segments: [] };
  const oldestKeptSnapshot = snapshots[Math.max(0, snapshots.length - retain)];
  if (oldestKeptSnapshot === undefined) return result;
  const oldestKept = oldestKeptSnapshot.zxid;
  // snapshots first: if we crash halfway, every snapshot left still has its log
  for (const old of snapshots.slice(0, Math.max(0, snapshots.length - retain))) {
    await unlink(join(dir, old.name));
    result.snapshots.push(old.name);
  }
  // segment i holds only zxids <= its successor's prevZxid; once that is covered by the
  // oldest kept snapshot, replay never needs it. Oldest first, so what remains stays contiguous.
  for (const [i, segment] of segments.entries()) {
    const successor = segments[i + 1];
    if (successor === undefined || successor.prevZxid > oldestKept) break;
    await unlink(join(dir, segment.name));
    result.segments.push(segment.name);
  }
  if (fsync && (result.snapshots.length > 0 || result.segments.length > 0)) await syncDir(dir);
  return result;
}
