/**
 * How an engine outcome becomes a ZooKeeper reply: the header zxid sampled when the request was
 * applied, the error code (CoordinatorError codes are ZooKeeper's numbers), and the body written
 * only on success (ZooKeeper's error replies carry none).
 */
import { CoordinatorError, ErrorCode } from "@conifer/coordinator";
import type { JuteWriter } from "@conifer/zookeeper/wire";

export interface Reply {
  err: number;
  zxid: bigint;
  body?: (w: JuteWriter) => void;
  /** about how many bytes the reply takes, when more than a small record (data read) */
  size?: number;
}

/** what a request handler gives back: a reply now or later, or nothing at all */
export type Outcome = Reply | Promise<Reply> | null;

export function errorNumber(err: unknown): number {
  return err instanceof CoordinatorError ? err.codeNumber : ErrorCode.SYSTEM_ERROR;
}

/** waits for an engine call and turns its value (or error) into a reply with the given zxid */
export function answer<T>(p: Promise<T>, zxid: bigint, body?: (w: JuteWriter, v: T) => void): Promise<Reply> {
  return p.then(
    (v): Reply =>
      body
        ? {
            err: 0,
            zxid,
            body: (w) => {
              body(w, v);
            },
          }
        : { err: 0, zxid },
    (e: unknown): Reply => ({ err: errorNumber(e), zxid }),
  );
}

/**
 * Issues an engine call and samples the zxid right after: the engine validates and applies a
 * write synchronously when it is issued, so lastZxid is then that write's own zxid (failed
 * writes consume one too, §2.6), and for a read the last applied one.
 */
export function issue<T>(
  lastZxid: () => bigint,
  call: () => Promise<T>,
  body?: (w: JuteWriter, v: T) => void,
): Promise<Reply> {
  let p: Promise<T>;
  try {
    p = call();
  } catch (err) {
    p = Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
  return answer(p, lastZxid(), body);
}
