/**
 * Snapshot encoding: the whole tree (every node with its stored stat fields, ACL and children),
 * the live-session table and lastZxid, as tagged JSON (codec.ts). Written every
 * `snapshotEveryTxns` logged txns; recovery loads the newest valid one and replays the log.
 */
import type { ACL } from "@conifer/coordinator";
import { decodeValue, encodeValue } from "./codec.ts";
import { DataTree } from "./data-tree.ts";
import type { ZNode } from "./znode.ts";

const FORMAT = "conifer-engine-snapshot/1";

interface SnapshotBody {
  format: string;
  lastZxid: bigint;
  sessions: [bigint, number][];
  nodes: [string, Omit<ZNode, "children" | "acl"> & { acl: ACL[]; children: string[] }][];
}

export function encodeSnapshot(tree: DataTree): Uint8Array {
  const nodes: SnapshotBody["nodes"] = [];
  for (const [path, n] of tree.nodes) nodes.push([path, { ...n, acl: [...n.acl], children: [...n.children] }]);
  const body: SnapshotBody = { format: FORMAT, lastZxid: tree.lastZxid, sessions: [...tree.sessions], nodes };
  return Buffer.from(JSON.stringify(encodeValue(body)), "utf8");
}

export function decodeSnapshot(payload: Uint8Array): DataTree {
  const body = decodeValue(JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("utf8"))) as SnapshotBody;
  if (!body || body.format !== FORMAT) throw new Error(`unknown snapshot format ${String(body?.format)}`);
  const tree = new DataTree();
  for (const [path, n] of body.nodes) tree.put(path, { ...n, children: new Set(n.children) });
  for (const [id, timeout] of body.sessions) tree.sessions.set(id, timeout);
  tree.lastZxid = body.lastZxid;
  return tree;
}
