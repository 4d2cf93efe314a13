/**
 * Snapshot encoding: the whole tree (every node with its stored stat fields, ACL and children),
 * the live-session table and lastZxid, as tagged JSON (codec.ts). Written every
 * `snapshotEveryTxns` logged txns; recovery loads the newest valid one and replays the log.
 *
 * Writing streams the same JSON in slices (snapshot-stream.ts) so a big tree never stalls the
 * event loop for the whole serialization; encodeSnapshot is the one-shot form of that stream.
 */
import type { ACL } from "@conifer/coordinator";
import { decodeValue, encodeValue } from "./codec.ts";
import { DataTree } from "./data-tree.ts";
import type { ZNode } from "./znode.ts";

export const SNAPSHOT_FORMAT = "conifer-engine-snapshot/1";

type StoredNode = Omit<ZNode, "children" | "acl"> & { acl: ACL[]; children: string[] };

interface SnapshotBody {
  format: string;
  lastZxid: bigint;
  sessions: [bigint, number][];
  /** a path may appear twice (a streamed snapshot may repeat a node): the copies are equal */
  nodes: [string, StoredNode][];
}

/** the JSON text before the first node: `{"format":..,"lastZxid":..,"sessions":..,"nodes":[` */
export function snapshotHead(lastZxid: bigint, sessions: Iterable<[bigint, number]>): string {
  const head = JSON.stringify(encodeValue({ format: SNAPSHOT_FORMAT, lastZxid, sessions: [...sessions], nodes: [] }));
  return head.slice(0, -2);
}

export const SNAPSHOT_TAIL = "]}";

/** one element of the `nodes` array */
export function encodeNodeEntry(path: string, n: ZNode): string {
  return JSON.stringify(encodeValue([path, { ...n, acl: [...n.acl], children: [...n.children] }]));
}

/** the whole snapshot at once (tests; the engine streams it) */
export function encodeSnapshot(tree: DataTree): Uint8Array {
  const entries: string[] = [];
  for (const [path, n] of tree.nodes) entries.push(encodeNodeEntry(path, n));
  return Buffer.from(snapshotHead(tree.lastZxid, tree.sessions) + entries.join(",") + SNAPSHOT_TAIL, "utf8");
}

export function decodeSnapshot(payload: Uint8Array): DataTree {
  const decoded = decodeValue(
    JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("utf8")),
  );
  const format: unknown = decoded ? (decoded as { format?: unknown }).format : undefined;
  if (!decoded || format !== SNAPSHOT_FORMAT) throw new Error(`unknown snapshot format ${String(format)}`);
  const body = decoded as SnapshotBody;
  const tree = new DataTree();
  for (const [path, n] of body.nodes) tree.put(path, { ...n, children: new Set(n.children) });
  for (const [id, timeout] of body.sessions) tree.sessions.set(id, timeout);
  tree.lastZxid = body.lastZxid;
  return tree;
}
