/**
 * setWatches (101) / setWatches2 (105), sent by a client that re-attached its session (§3.5):
 * each watch either fires at once, because the node changed since the client's last zxid, or
 * is registered again. Persistent watches come back silently. Decided and registered in one
 * synchronous step, so no change can slip between the check and the registration.
 */
import type { WatchEvent } from "@conifer/coordinator";
import type { Engine } from "@conifer/engine";
import type { WatchSnapshot } from "@conifer/zookeeper/wire";
import type { WireSession } from "./sessions.ts";

const ignore = (): void => {};

export function restoreWatches(engine: Engine, ws: WireSession, relativeZxid: bigint, w: WatchSnapshot): void {
  const s = ws.session;
  const fire = (type: WatchEvent["type"], path: string) => ws.attachment?.notify({ type, path });
  for (const path of w.data) {
    const st = engine.peek(path);
    if (!st) fire("NodeDeleted", path);
    else if (st.mzxid > relativeZxid) fire("NodeDataChanged", path);
    else s.exists(path, ws.watcher).catch(ignore);
  }
  for (const path of w.exist) {
    if (engine.peek(path)) fire("NodeCreated", path);
    else s.exists(path, ws.watcher).catch(ignore);
  }
  for (const path of w.child) {
    const st = engine.peek(path);
    if (!st) fire("NodeDeleted", path);
    else if (st.pzxid > relativeZxid) fire("NodeChildrenChanged", path);
    else s.getChildren(path, ws.watcher).catch(ignore);
  }
  for (const path of w.persistent) s.addWatch(path, "PERSISTENT", ws.watcher).catch(ignore);
  for (const path of w.persistentRecursive) s.addWatch(path, "PERSISTENT_RECURSIVE", ws.watcher).catch(ignore);
}
