/**
 * The common reads (exists, getData, getChildren) answered in the same turn as their request
 * when the engine has nothing waiting for the disk: no promise, no copy of the node's data
 * (it is encoded straight into the reply), as ZooKeeper's FinalRequestProcessor answers a read
 * from the tree. When writes are pending these return null and the read takes the ordinary
 * path, released behind them (no dirty reads).
 */
import { ErrorCode } from "@conifer/coordinator";
import type { Session, Watcher } from "@conifer/coordinator";
import type { Engine } from "@conifer/engine";
import { writeStat } from "@conifer/zookeeper/wire";
import type { JuteWriter } from "@conifer/zookeeper/wire";
import { errorNumber } from "./replies.ts";
import type { Reply } from "./replies.ts";

/** ReplyHeader and Stat, rounded up: what a reply takes besides its data */
const REPLY_OVERHEAD = 128;
const EMPTY = Buffer.alloc(0);

export function existsNow(engine: Engine, s: Session, path: string, watch: Watcher | undefined): Reply | null {
  return replyNow(
    engine,
    () => engine.readNow(s, "exists", path, watch),
    (stat) =>
      stat
        ? {
            err: 0,
            body: (w) => {
              writeStat(w, stat);
            },
          }
        : { err: ErrorCode.NO_NODE },
  );
}

export function getDataNow(engine: Engine, s: Session, path: string, watch: Watcher | undefined): Reply | null {
  return replyNow(
    engine,
    () => engine.readNow(s, "getData", path, watch),
    ({ data, stat }) => ({
      err: 0,
      // no data goes out as an empty buffer, as Session.getData gives it
      body: (w) => {
        w.buffer(data ?? EMPTY);
        writeStat(w, stat);
      },
      size: (data?.length ?? 0) + REPLY_OVERHEAD,
    }),
  );
}

export function getChildrenNow(
  engine: Engine,
  s: Session,
  path: string,
  watch: Watcher | undefined,
  withStat: boolean,
): Reply | null {
  return replyNow(
    engine,
    () => engine.readNow(s, "getChildren", path, watch),
    ({ children, stat }) => ({
      err: 0,
      body: (w: JuteWriter) => {
        w.vector(children, (ww, c) => void ww.ustring(c));
        if (withStat) writeStat(w, stat);
      },
    }),
  );
}

/**
 * The zxid sampled before the read (the last applied one, which the read sees), then the read's
 * value turned into the reply by `reply`, or its refusal into an error reply; null when the read
 * has to wait behind pending writes.
 */
function replyNow<T>(
  engine: Engine,
  read: () => { value: T } | null,
  reply: (value: T) => Omit<Reply, "zxid">,
): Reply | null {
  const zxid = engine.lastZxid;
  try {
    const now = read();
    return now && { ...reply(now.value), zxid };
  } catch (err) {
    return { err: errorNumber(err), zxid };
  }
}
