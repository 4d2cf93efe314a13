/**
 * Names and directory plumbing of the data dir: `log.<hex first zxid>` segments,
 * `snapshot.<hex zxid>` snapshots (as ZooKeeper names them), temp files, and the directory
 * fsync that makes a create/rename/unlink itself durable.
 */
import { mkdir, open, readdir } from "node:fs/promises";
import { resolve } from "node:path";

export const LOG_PREFIX = "log.";
export const SNAPSHOT_PREFIX = "snapshot.";
export const TMP_SUFFIX = ".tmp";
export const QUARANTINE_DIR = "quarantine";

export interface NamedFile {
  name: string;
  zxid: bigint;
}

export const logName = (zxid: bigint): string => LOG_PREFIX + zxid.toString(16);
export const snapshotName = (zxid: bigint): string => SNAPSHOT_PREFIX + zxid.toString(16);

function parse(name: string, prefix: string): bigint | null {
  if (!name.startsWith(prefix)) return null;
  const hex = name.slice(prefix.length);
  return /^[0-9a-f]{1,16}$/.test(hex) ? BigInt("0x" + hex) : null;
}

export interface DirListing {
  logs: NamedFile[];
  snapshots: NamedFile[];
  temps: string[];
}

/** Segments and snapshots sorted by zxid ascending; anything else is ignored. */
export async function listDataDir(dir: string): Promise<DirListing> {
  const listing: DirListing = { logs: [], snapshots: [], temps: [] };
  for (const name of await readdir(dir)) {
    if (name.endsWith(TMP_SUFFIX)) {
      listing.temps.push(name);
      continue;
    }
    const log = parse(name, LOG_PREFIX);
    if (log !== null) listing.logs.push({ name, zxid: log });
    const snap = parse(name, SNAPSHOT_PREFIX);
    if (snap !== null) listing.snapshots.push({ name, zxid: snap });
  }
  const byZxid = (a: NamedFile, b: NamedFile) => (a.zxid < b.zxid ? -1 : a.zxid > b.zxid ? 1 : 0);
  listing.logs.sort(byZxid);
  listing.snapshots.sort(byZxid);
  return listing;
}

/** fsync a directory so entries created, renamed or removed in it survive a power cut. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** mkdir -p, and make a newly created dir's own entry durable in its parent. */
export async function ensureDir(dir: string, fsync: boolean): Promise<void> {
  const created = await mkdir(dir, { recursive: true });
  if (created === undefined || !fsync) return;
  // every level mkdir made is an entry in its parent; walk up to the first one it made
  const first = resolve(created);
  for (let level = resolve(dir); level.length >= first.length; level = resolve(level, "..")) {
    await syncDir(resolve(level, ".."));
    if (level === first) break;
  }
}
