/**
 * The records exchanged when a session attaches to an ensemble member (§4.1 and §3.5 of the
 * protocol reference): the ConnectRequest/ConnectResponse handshake, and the setWatches
 * messages that re-register the session's watches on the member it just attached to.
 */
import { JuteReader, JuteWriter } from "./jute.ts";
import { OpCode, Xid } from "./records.ts";

export interface WatchSnapshot {
  data: string[];
  exist: string[];
  child: string[];
  persistent: string[];
  persistentRecursive: string[];
}

const PROTOCOL_VERSION = 0;

export function encodeConnectRequest(r: {
  lastZxid: bigint;
  timeoutMs: number;
  sessionId: bigint;
  passwd: Buffer;
}): Buffer {
  // the trailing readOnly flag is optional on the wire; the Java client sends it
  return new JuteWriter()
    .int(PROTOCOL_VERSION)
    .long(r.lastZxid)
    .int(r.timeoutMs)
    .long(r.sessionId)
    .buffer(r.passwd)
    .bool(false)
    .frame();
}

export interface ConnectResponse {
  /** negotiated timeout; 0 or less means the session is expired (or the password was wrong) */
  timeOut: number;
  sessionId: bigint;
  passwd: Buffer;
}

export function decodeConnectResponse(frame: Buffer): ConnectResponse {
  const r = new JuteReader(frame);
  r.int(); // protocolVersion
  const timeOut = r.int();
  const sessionId = r.long();
  const passwd = r.buffer() ?? Buffer.alloc(16);
  return { timeOut, sessionId, passwd };
}

/**
 * setWatches frames for a snapshot, split like the Java client into messages of about 128 KB of
 * path text; setWatches2 only when persistent watches exist (3.5 servers lack it).
 */
export function encodeSetWatches(s: WatchSnapshot, lastZxid: bigint): Buffer[] {
  const persistent = s.persistent.length + s.persistentRecursive.length > 0;
  const lists = [s.data, s.exist, s.child, s.persistent, s.persistentRecursive];
  const frames: Buffer[] = [];
  const LIMIT = 128 * 1024;
  let batch: string[][] = [[], [], [], [], []];
  let bytes = 0;
  const flush = () => {
    const w = new JuteWriter()
      .int(Xid.setWatches)
      .int(persistent ? OpCode.setWatches2 : OpCode.setWatches)
      .long(lastZxid);
    const count = persistent ? 5 : 3;
    for (let i = 0; i < count; i++) w.vector(batch[i] ?? [], (ww, p) => void ww.ustring(p));
    frames.push(w.frame());
    batch = [[], [], [], [], []];
    bytes = 0;
  };
  lists.forEach((list, i) => {
    for (const p of list) {
      (batch[i] ??= []).push(p);
      bytes += Buffer.byteLength(p) + 4;
      if (bytes >= LIMIT) flush();
    }
  });
  if (bytes > 0) flush();
  return frames;
}
