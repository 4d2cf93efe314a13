/**
 * On-disk framing of the transaction log. Each record carries its own length, zxid and a
 * CRC32 over all three, so recovery can tell a whole record from a torn or bit-rotted one
 * without trusting anything after the first bad byte. Each segment starts with a header that
 * names the zxid the log had reached before the segment began, which lets recovery prove no
 * segment is missing between a snapshot and the tail.
 */
import { crc32 } from "node:zlib";

import type { LogRecord } from "./types.ts";

/** u32 payload length, u32 crc, i64 zxid */
export const FRAME_HEADER_BYTES = 16;
/** Upper bound on one payload; also bounds what a corrupt length field can make us read. */
export const MAX_PAYLOAD_BYTES = 256 * 1024 * 1024;

const SEGMENT_MAGIC = Buffer.from("CNFRLOG1", "ascii");
/** magic(8) prevZxid(8) crc(4) reserved(4) */
export const SEGMENT_HEADER_BYTES = 24;

function frameCrc(header: Buffer, payload: Uint8Array): number {
  // length (bytes 0-3) and zxid (bytes 8-15) are covered, not the crc slot itself
  return crc32(payload, crc32(header.subarray(8, 16), crc32(header.subarray(0, 4))));
}

/** Encodes one record as a frame, ready to append. */
export function encodeFrame(record: LogRecord): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + record.payload.byteLength);
  frame.writeUInt32BE(record.payload.byteLength, 0);
  frame.writeBigInt64BE(record.zxid, 8);
  frame.set(record.payload, FRAME_HEADER_BYTES);
  frame.writeUInt32BE(frameCrc(frame, record.payload), 4);
  return frame;
}

export type FrameResult = { ok: true; record: LogRecord; end: number } | { ok: false; reason: string };

/**
 * Decodes the frame at `offset`. A frame is only accepted whole: length within the buffer,
 * CRC matching, and zxid strictly above `afterZxid` (a stale or replayed frame is corrupt).
 */
export function decodeFrame(buf: Buffer, offset: number, afterZxid: bigint): FrameResult {
  if (buf.length - offset < FRAME_HEADER_BYTES) return { ok: false, reason: "incomplete frame header" };
  const length = buf.readUInt32BE(offset);
  if (length > MAX_PAYLOAD_BYTES) return { ok: false, reason: `implausible length ${length}` };
  const end = offset + FRAME_HEADER_BYTES + length;
  if (end > buf.length) return { ok: false, reason: "frame runs past end of file" };
  const header = buf.subarray(offset, offset + FRAME_HEADER_BYTES);
  const payload = buf.subarray(offset + FRAME_HEADER_BYTES, end);
  if (header.readUInt32BE(4) !== frameCrc(header, payload)) return { ok: false, reason: "CRC mismatch" };
  const zxid = header.readBigInt64BE(8);
  if (zxid <= afterZxid) return { ok: false, reason: `zxid ${zxid} not above ${afterZxid}` };
  return { ok: true, record: { zxid, payload }, end };
}

export function encodeSegmentHeader(prevZxid: bigint): Buffer {
  const header = Buffer.alloc(SEGMENT_HEADER_BYTES);
  SEGMENT_MAGIC.copy(header, 0);
  header.writeBigInt64BE(prevZxid, 8);
  header.writeUInt32BE(crc32(header.subarray(0, 16)), 16);
  return header;
}

/** The prevZxid recorded in a segment header, or null when the header is short or damaged. */
export function decodeSegmentHeader(buf: Buffer): bigint | null {
  if (buf.length < SEGMENT_HEADER_BYTES) return null;
  if (!buf.subarray(0, 8).equals(SEGMENT_MAGIC)) return null;
  if (buf.readUInt32BE(16) !== crc32(buf.subarray(0, 16))) return null;
  return buf.readBigInt64BE(8);
}
