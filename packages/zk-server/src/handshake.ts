/**
 * What a connection answers outside the request/reply flow: the ConnectResponse (a new or
 * re-attached session, or the zero session that tells a client its session is gone) and the
 * auth packet, answered at once with xid -4 as ZooKeeper does.
 */
import { CoordinatorError, ErrorCode } from "@conifer/coordinator";
import { Xid, encodeConnectResponse, replyHeader } from "@conifer/zookeeper/wire";
import type { ConnectRequest, JuteReader } from "@conifer/zookeeper/wire";
import type { WireSession } from "./sessions.ts";

/**
 * A standalone server is never read-only: like ZooKeeper 3.8 it answers readOnly = false to a
 * client that sent the flag (even readOnly = true, refused or not), and omits it otherwise.
 */
function notReadOnly(req: ConnectRequest): false | undefined {
  return req.readOnly === undefined ? undefined : false;
}

/** the ConnectResponse for a session this connection now carries */
export function sessionResponse(ws: WireSession, req: ConnectRequest): Buffer {
  return encodeConnectResponse({
    timeOut: ws.session.timeoutMs,
    sessionId: ws.id,
    passwd: ws.passwd,
    readOnly: notReadOnly(req),
  });
}

/** unknown id, wrong password or expired: timeout 0 and session 0 (the client reports SESSION_EXPIRED) */
export function expiredResponse(req: ConnectRequest): Buffer {
  return encodeConnectResponse({ timeOut: 0, sessionId: 0n, passwd: Buffer.alloc(16), readOnly: notReadOnly(req) });
}

/** AuthPacket: answered when the engine has checked it; an unknown scheme ends the connection */
export function answerAuth(ws: WireSession, r: JuteReader, write: (frame: Buffer) => void, end: () => void): void {
  r.int(); // AuthPacket.type, always 0
  const scheme = r.ustring() ?? "";
  const auth = (r.buffer() ?? Buffer.alloc(0)).toString("utf8");
  void ws.session.addAuth(scheme, auth).then(
    () => {
      write(replyHeader(Xid.auth, 0n, 0).frame());
    },
    (err: unknown) => {
      const code = err instanceof CoordinatorError ? err.codeNumber : ErrorCode.AUTH_FAILED;
      write(replyHeader(Xid.auth, 0n, code).frame());
      if (code === ErrorCode.AUTH_FAILED) end();
    },
  );
}
