/**
 * The server side of the records in attach.ts and records.ts (§4.1, §3.5 and §5.3–5.4 of the
 * protocol reference): what a ZooKeeper server reads from a client (ConnectRequest, the request
 * records, setWatches) and the framing of what it answers (ConnectResponse, ReplyHeader). Kept
 * beside the client's encoders so that one jute codec serves both directions.
 */
import { JuteReader, JuteWriter } from "./jute.ts";
import { readStrings } from "./records.ts";
import type { WatchSnapshot } from "./attach.ts";

export interface ConnectRequest {
  protocolVersion: number;
  lastZxidSeen: bigint;
  timeOut: number;
  sessionId: bigint;
  passwd: Buffer;
  /** undefined when the client left the optional flag out (node-zookeeper-client does) */
  readOnly: boolean | undefined;
}

export function decodeConnectRequest(frame: Buffer): ConnectRequest {
  const r = new JuteReader(frame);
  const protocolVersion = r.int();
  const lastZxidSeen = r.long();
  const timeOut = r.int();
  const sessionId = r.long();
  const passwd = r.buffer() ?? Buffer.alloc(0);
  const readOnly = r.remaining > 0 ? r.bool() : undefined;
  return { protocolVersion, lastZxidSeen, timeOut, sessionId, passwd, readOnly };
}

/** the answer to a ConnectRequest; the readOnly flag is written only when the request had one */
export function encodeConnectResponse(r: {
  timeOut: number;
  sessionId: bigint;
  passwd: Buffer;
  readOnly: boolean | undefined;
}): Buffer {
  const w = new JuteWriter().int(0).int(r.timeOut).long(r.sessionId).buffer(r.passwd);
  if (r.readOnly !== undefined) w.bool(r.readOnly);
  return w.frame();
}

/** a writer that starts with ReplyHeader{xid, zxid, err}; append the body, then frame() */
export function replyHeader(xid: number, zxid: bigint, err: number, expected?: number): JuteWriter {
  return new JuteWriter(expected).int(xid).long(zxid).int(err);
}

/** SetWatches (101) or SetWatches2 (105) after the RequestHeader */
export function readSetWatches(r: JuteReader, v2: boolean): { relativeZxid: bigint; watches: WatchSnapshot } {
  const relativeZxid = r.long();
  const data = readStrings(r);
  const exist = readStrings(r);
  const child = readStrings(r);
  const persistent = v2 ? readStrings(r) : [];
  const persistentRecursive = v2 ? readStrings(r) : [];
  return { relativeZxid, watches: { data, exist, child, persistent, persistentRecursive } };
}
