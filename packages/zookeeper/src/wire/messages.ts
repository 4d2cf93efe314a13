/**
 * The client side of a session's messages after the handshake (§3 of the protocol reference):
 * a request framed with its header (and refused when a member would not take it), and a frame
 * from the member told apart by its xid (a watch notification, a ping or setWatches reply, an
 * auth reply, or the reply to a request), with the reply's error code as a CoordinatorError.
 */
import { CoordinatorError, errorCodeName, type ErrorCodeName } from "@conifer/coordinator";
import { JuteReader, JuteWriter } from "./jute.ts";
import { Xid } from "./records.ts";

/**
 * ZooKeeper's jute.maxbuffer default: a member closes the connection on a request frame longer
 * than this (length prefix not counted), so a setData carries at most 1,048,555 bytes minus
 * its path. Requests that would exceed it are refused here with BAD_ARGUMENTS instead.
 */
export const MAX_FRAME_BYTES = 1_048_575;

/** the frame of request `xid`; throws what `write` throws, or BAD_ARGUMENTS when it is too long */
export function encodeRequest(xid: number, op: number, write: (w: JuteWriter) => void, path?: string): Buffer {
  const w = new JuteWriter().int(xid).int(op);
  write(w);
  const frame = w.frame();
  if (frame.length - 4 > MAX_FRAME_BYTES) {
    // the member would drop the connection (failing every request in flight with it)
    throw new CoordinatorError(
      "BAD_ARGUMENTS",
      `request is ${String(frame.length - 4)} bytes, more than ZooKeeper's jute.maxbuffer of ${String(MAX_FRAME_BYTES)} bytes${path ? `: ${path}` : ""}`,
      path,
    );
  }
  return frame;
}

export type ServerFrame =
  | { kind: "notification"; type: number; path: string }
  | { kind: "ignored" }
  | { kind: "auth"; err: number }
  /** `r` is positioned at the reply's body */
  | { kind: "reply"; xid: number; zxid: bigint; err: number; r: JuteReader };

/** reads the reply header of a frame and tells what the frame is */
export function readServerFrame(frame: Buffer): ServerFrame {
  const r = new JuteReader(frame);
  const xid = r.int();
  const zxid = r.long();
  const err = r.int();
  if (xid === Xid.notification) {
    const type = r.int();
    r.int(); // keeper state, always SyncConnected from a server
    return { kind: "notification", type, path: r.ustring() ?? "" };
  }
  if (xid === Xid.ping || xid === Xid.setWatches) return { kind: "ignored" };
  if (xid === Xid.auth) return { kind: "auth", err };
  return { kind: "reply", xid, zxid, err, r };
}

/** the error for a reply's err field; numbers without a Coordinator name keep their number in the message */
export function serverError(err: number, path: string | undefined): CoordinatorError {
  const code = codeOf(err);
  const known = code !== "SYSTEM_ERROR" || err === -1;
  return new CoordinatorError(
    code,
    `${code}${known ? "" : ` (ZooKeeper error ${err})`}${path ? `: ${path}` : ""}`,
    path,
  );
}

export function codeOf(err: number): ErrorCodeName {
  return errorCodeName(err);
}
