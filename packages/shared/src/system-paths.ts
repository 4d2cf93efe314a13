/**
 * Which subtrees are bookkeeping rather than configuration: the server's own (`/conifer`, where
 * SDK instances register and servers signal each other) and ZooKeeper's (`/zookeeper`). The server never versions them in
 * history and the console marks them as system; both ask this one rule.
 */
import { isWithin } from "@conifer/coordinator/paths";

/** Where the server keeps its own state (instance ephemerals...). */
export const CONIFER_ROOT = "/conifer";
export const INSTANCES_ROOT = "/conifer/instances";
/** Change request activity between the servers sharing a backend (one short-lived child per action). */
export const CHANGE_SIGNALS_ROOT = "/conifer/change-activity";

/** Gray releases (issue 16): one JSON znode per gray release, shared by every server. */
export const GRAY_ROOT = "/conifer/gray";

const SYSTEM_ROOTS = [CONIFER_ROOT, "/zookeeper"];

/** True for /conifer, /zookeeper and anything below them. */
export function isSystemPath(path: string): boolean {
  return SYSTEM_ROOTS.some((root) => isWithin(path, root));
}
