/**
 * Turns a data dir back into "newest valid snapshot + every whole log record after it".
 * A crash mid-write leaves a torn tail: it is cut off so later appends start on a clean frame.
 * A bad record followed by good data is something else (bit rot, a stray write): replay stops
 * at the last whole transaction before it and the rest is quarantined and reported, never
 * skipped over. Missing history (a log that starts after the snapshot we must use) is the one
 * thing recovery refuses, since any tree it produced would be silently wrong.
 */
import { open, readFile, stat, unlink } from "node:fs/promises";
import { join } from "node:path";

import { StorageError } from "./errors.ts";
import { listDataDir, syncDir, type NamedFile } from "./files.ts";
import { decodeFrame, decodeSegmentHeader, FRAME_HEADER_BYTES, SEGMENT_HEADER_BYTES } from "./frame.ts";
import { Quarantine } from "./quarantine.ts";
import { readSnapshotFile } from "./snapshot-file.ts";
import type { LogRecord, RecoveredState, RecoveryIssue } from "./types.ts";

/** A log segment the store knows about: its file name and the zxid the log had reached before it. */
export interface SegmentInfo {
  name: string;
  prevZxid: bigint;
}

export interface RecoveryResult {
  state: RecoveredState;
  segments: SegmentInfo[];
  /** highest zxid covered by the recovered snapshot or log; the next segment's prevZxid */
  lastZxid: bigint;
}

async function readHeader(dir: string, name: string): Promise<{ prevZxid: bigint | null; size: number }> {
  const handle = await open(join(dir, name), "r");
  try {
    const { size } = await handle.stat();
    const buf = Buffer.alloc(SEGMENT_HEADER_BYTES);
    const { bytesRead } = await handle.read(buf, 0, SEGMENT_HEADER_BYTES, 0);
    return { prevZxid: decodeSegmentHeader(buf.subarray(0, bytesRead)), size };
  } finally {
    await handle.close();
  }
}

async function truncateFile(path: string, length: number, fsync: boolean): Promise<void> {
  const handle = await open(path, "r+");
  try {
    await handle.truncate(length);
    if (fsync) await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Where the run of zero bytes that ends the buffer starts (buf.length when it ends otherwise).
 * The log writer zero-fills ahead of its end, so after a crash a segment ends in zeros; no
 * frame is all zeros (its zxid is above 0), so none can start in them.
 */
export function zeroTailStart(buf: Buffer): number {
  let end = buf.length;
  // eight bytes at a time over the long runs, then byte by byte
  while (end >= 8 && buf.readBigUInt64LE(end - 8) === 0n) end -= 8;
  while (end > 0 && buf[end - 1] === 0) end--;
  return end;
}

/** Is there any whole frame after a bad one? That is what separates corruption from a torn tail. */
function validFrameAfter(buf: Buffer, from: number, afterZxid: bigint, zeroTail: number): number | null {
  for (let at = from; at + FRAME_HEADER_BYTES <= zeroTail; at++) {
    if (decodeFrame(buf, at, afterZxid).ok) return at;
  }
  return null;
}

async function recoverSnapshot(dir: string, snapshots: NamedFile[], quarantine: Quarantine, issues: RecoveryIssue[]) {
  for (const file of [...snapshots].reverse()) {
    const read = await readSnapshotFile(dir, file.name, file.zxid);
    if (read.ok) return { zxid: read.zxid, payload: read.payload };
    // moved aside so it neither counts toward snapRetainCount nor is reported again
    const moved = await quarantine.moveFile(file.name);
    issues.push({
      kind: "corrupt-snapshot",
      file: file.name,
      detail: `${read.reason}; fell back to an older snapshot`,
      quarantined: [moved],
    });
  }
  return null;
}

export async function recover(dir: string, fsync: boolean): Promise<RecoveryResult> {
  const listing = await listDataDir(dir);
  const quarantine = new Quarantine(dir, fsync);
  const issues: RecoveryIssue[] = [];
  let truncatedBytes = 0;
  let dirChanged = listing.temps.length > 0;
  for (const temp of listing.temps) await unlink(join(dir, temp)); // half-written snapshots

  const snapshot = await recoverSnapshot(dir, listing.snapshots, quarantine, issues);
  dirChanged ||= issues.length > 0;
  const base = snapshot?.zxid ?? -1n;

  // Segment headers first: they say where each segment sits in the history.
  const segments: SegmentInfo[] = [];
  for (const [i, { name }] of listing.logs.entries()) {
    const { prevZxid, size } = await readHeader(dir, name);
    if (prevZxid !== null) {
      segments.push({ name, prevZxid });
      continue;
    }
    dirChanged = true;
    if (i === listing.logs.length - 1) {
      // created but its first write never completed
      await unlink(join(dir, name));
      truncatedBytes += size;
      issues.push({
        kind: "torn-tail",
        file: name,
        offset: 0,
        detail: "segment header incomplete; empty segment removed",
      });
    } else {
      const moved: string[] = [];
      for (const later of listing.logs.slice(i)) {
        truncatedBytes += (await stat(join(dir, later.name))).size;
        moved.push(await quarantine.moveFile(later.name));
      }
      issues.push({
        kind: "corrupt-log",
        file: name,
        offset: 0,
        detail: "damaged segment header before later segments; replay stops before it",
        quarantined: moved,
      });
    }
    break;
  }

  // Replay starts in the newest segment that began at or before the snapshot.
  let start = -1;
  for (const [i, segment] of segments.entries()) if (segment.prevZxid <= base) start = i;
  const firstSegment = segments[0];
  if (firstSegment !== undefined && start === -1) {
    throw new StorageError(
      "UNRECOVERABLE",
      `log in ${dir} starts after zxid ${firstSegment.prevZxid} but the newest usable snapshot is ${snapshot ? `at zxid ${base}` : "missing"}; history is missing`,
    );
  }

  const records: LogRecord[] = [];
  /** highest zxid the snapshot or the log read so far covers */
  let known = base;
  /** last record read, for the strictly-increasing check (records <= base are read, not kept) */
  let tail = segments[start]?.prevZxid ?? base;
  let kept = segments.length;
  for (const [i, segment] of segments.entries()) {
    if (i < start) continue;
    if (segment.prevZxid > known) {
      throw new StorageError(
        "UNRECOVERABLE",
        `segment ${segment.name} continues from zxid ${segment.prevZxid} but the log before it ends at ${known}; a segment is missing`,
      );
    }
    const path = join(dir, segment.name);
    const buf = await readFile(path);
    let at = SEGMENT_HEADER_BYTES;
    let after = tail > segment.prevZxid ? tail : segment.prevZxid;
    let bad: string | null = null;
    const zeroTail = zeroTailStart(buf);
    while (at < buf.length) {
      const frame = decodeFrame(buf, at, after);
      if (!frame.ok) {
        bad = frame.reason;
        break;
      }
      if (frame.record.zxid > base) records.push(frame.record);
      after = frame.record.zxid;
      at = frame.end;
    }
    tail = after;
    if (after > known) known = after;
    const isLast = i === segments.length - 1;
    if (bad !== null && at >= zeroTail) {
      // zeros to the end: the space written ahead of the log's end (or a torn write's zero
      // prefix), left by a crash before the segment was cut back. Nothing follows it, so it
      // is a torn tail whatever segment it is in: cut off, and replay goes on
      await truncateFile(path, at, fsync);
      truncatedBytes += buf.length - at;
      issues.push({
        kind: "torn-tail",
        file: segment.name,
        offset: at,
        detail: `${buf.length - at} zero bytes cut off after zxid ${after} (space written ahead of the log's end)`,
      });
      bad = null;
    }
    if (bad === null) {
      if (isLast && at === SEGMENT_HEADER_BYTES) {
        // header only (its first write was torn right after the header): drop it so the
        // retried zxid can take its name again
        await unlink(path);
        kept = i;
        dirChanged = true;
        truncatedBytes += at;
        issues.push({
          kind: "torn-tail",
          file: segment.name,
          offset: 0,
          detail: "segment holds a header but no record; removed",
        });
      }
      continue;
    }
    dirChanged = true;
    const resync = validFrameAfter(buf, at + 1, after, zeroTail);
    if (isLast && resync === null) {
      truncatedBytes += buf.length - at;
      issues.push({
        kind: "torn-tail",
        file: segment.name,
        offset: at,
        detail: `${bad}; ${buf.length - at} bytes cut off after zxid ${after}`,
      });
      if (at === SEGMENT_HEADER_BYTES) {
        await unlink(path); // no record survived; free the name for the retried zxid
        truncatedBytes += at;
        kept = i;
      } else {
        await truncateFile(path, at, fsync);
      }
      break;
    }
    const moved = [await quarantine.keepBytes(segment.name, at, buf.subarray(at))];
    truncatedBytes += buf.length - at;
    for (const later of segments.slice(i + 1)) {
      truncatedBytes += (await stat(join(dir, later.name))).size;
      moved.push(await quarantine.moveFile(later.name));
    }
    if (at === SEGMENT_HEADER_BYTES) {
      await unlink(path);
      truncatedBytes += at;
      kept = i;
    } else {
      await truncateFile(path, at, fsync);
      kept = i + 1;
    }
    const where =
      resync !== null
        ? `a valid record follows at offset ${resync}`
        : `${segments.length - i - 1} later segment(s) follow`;
    issues.push({
      kind: "corrupt-log",
      file: segment.name,
      offset: at,
      detail: `${bad} after zxid ${after} but ${where}; replay stopped at zxid ${after}, the rest was quarantined`,
      quarantined: moved,
    });
    break;
  }

  await quarantine.sync();
  if (dirChanged && fsync) await syncDir(dir);
  return {
    state: { snapshot, records, truncatedBytes, issues },
    segments: segments.slice(0, kept),
    lastZxid: known,
  };
}
