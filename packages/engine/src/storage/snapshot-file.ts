/**
 * Snapshot files: written atomically (temp file, fsync, rename, fsync dir) so a crash leaves
 * either the old set or the new file whole, and verified on read (header CRC, payload CRC,
 * exact size, zxid matching the file name) so a damaged one is skipped, not trusted.
 */
import { open, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { crc32 } from "node:zlib";

import { snapshotName, syncDir, TMP_SUFFIX } from "./files.ts";

const SNAPSHOT_MAGIC = Buffer.from("CNFRSNP1", "ascii");
/** magic(8) zxid(8) payloadLength(8) payloadCrc(4) headerCrc(4) */
const SNAPSHOT_HEADER_BYTES = 32;
/**
 * While streaming, flush the temp file every this many bytes: a big snapshot's dirty pages
 * flushed all at once by the final fsync hold the disk (and the log's fdatasync, so every
 * acknowledgement) for as long as that takes; in steps the log's syncs get in between.
 */
const SYNC_EVERY_BYTES = 8 * 1024 * 1024;

function encodeHeader(zxid: bigint, length: number, payloadCrc: number): Buffer {
  const header = Buffer.alloc(SNAPSHOT_HEADER_BYTES);
  SNAPSHOT_MAGIC.copy(header, 0);
  header.writeBigInt64BE(zxid, 8);
  header.writeBigUInt64BE(BigInt(length), 16);
  header.writeUInt32BE(payloadCrc, 24);
  header.writeUInt32BE(crc32(header.subarray(0, 28)), 28);
  return header;
}

/** A snapshot's payload: whole, or as chunks produced over time (the engine streams its tree). */
export type SnapshotPayload = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * Writes `snapshot.<hex zxid>` atomically; resolves once file and directory entry are durable.
 * The payload goes to the temp file chunk by chunk, with its running CRC and length; the header
 * is written last, then fsync and rename, so only a complete, verified file ever gets the name.
 */
export async function writeSnapshotFile(
  dir: string,
  zxid: bigint,
  payload: SnapshotPayload,
  fsync: boolean,
): Promise<string> {
  const name = snapshotName(zxid);
  const tmp = join(dir, name + TMP_SUFFIX);
  const handle = await open(tmp, "w");
  try {
    try {
      let position = SNAPSHOT_HEADER_BYTES;
      let crc = 0;
      let unsynced = 0;
      for await (const chunk of payload instanceof Uint8Array ? [payload] : payload) {
        crc = crc32(chunk, crc);
        let written = 0;
        while (written < chunk.byteLength) {
          const { bytesWritten } = await handle.write(chunk, written, chunk.byteLength - written, position + written);
          written += bytesWritten;
        }
        position += chunk.byteLength;
        unsynced += chunk.byteLength;
        if (fsync && unsynced >= SYNC_EVERY_BYTES) {
          await handle.datasync();
          unsynced = 0;
        }
      }
      const header = encodeHeader(zxid, position - SNAPSHOT_HEADER_BYTES, crc);
      await handle.write(header, 0, header.length, 0);
      if (fsync) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, join(dir, name));
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
  if (fsync) await syncDir(dir);
  return name;
}

export type SnapshotRead = { ok: true; zxid: bigint; payload: Uint8Array } | { ok: false; reason: string };

/** Reads and fully verifies one snapshot file. Never throws for bad content, only for IO. */
export async function readSnapshotFile(dir: string, name: string, expectedZxid: bigint): Promise<SnapshotRead> {
  const buf = await readFile(join(dir, name));
  if (buf.length < SNAPSHOT_HEADER_BYTES) return { ok: false, reason: `only ${buf.length} bytes` };
  if (!buf.subarray(0, 8).equals(SNAPSHOT_MAGIC)) return { ok: false, reason: "bad magic" };
  if (buf.readUInt32BE(28) !== crc32(buf.subarray(0, 28))) return { ok: false, reason: "header CRC mismatch" };
  const zxid = buf.readBigInt64BE(8);
  if (zxid !== expectedZxid) return { ok: false, reason: `header zxid ${zxid} does not match file name` };
  const length = buf.readBigUInt64BE(16);
  if (BigInt(buf.length - SNAPSHOT_HEADER_BYTES) !== length) {
    return { ok: false, reason: `size ${buf.length - SNAPSHOT_HEADER_BYTES} does not match header length ${length}` };
  }
  const payload = buf.subarray(SNAPSHOT_HEADER_BYTES);
  if (buf.readUInt32BE(24) !== crc32(payload)) return { ok: false, reason: "payload CRC mismatch" };
  return { ok: true, zxid, payload };
}
