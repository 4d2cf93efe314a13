/**
 * Applies a transaction to the tree, exactly as ZooKeeper's DataTree.processTxn does, and
 * returns the watch triggers it causes, in order (§3.1: create -> NodeCreated then the
 * parent's NodeChildrenChanged; delete -> NodeDeleted then NodeChildrenChanged). Used both
 * live and during recovery, so it must depend on nothing but the tree and the txn.
 */
import { parentOf } from "@conifer/coordinator";
import type { ACL, EventTypeName } from "@conifer/coordinator";
import type { DataTree } from "./data-tree.ts";
import type { SubTxn, Txn } from "./txn.ts";

export interface Trigger {
  type: EventTypeName;
  path: string;
  /**
   * the ACL a watcher needs READ on to be told (CVE-2024-23944): the changed node's, or the
   * parent's for NodeChildrenChanged, as it stands at this change
   */
  acl: readonly ACL[];
}

function parentKey(path: string): string {
  const p = parentOf(path);
  return p === "" ? "/" : p;
}

function aclOf(tree: DataTree, path: string): readonly ACL[] {
  return tree.get(path)?.acl ?? [];
}

export function applySub(tree: DataTree, op: SubTxn, zxid: bigint, time: number, out: Trigger[]): void {
  switch (op.t) {
    case "create":
      tree.addNode(
        op.path,
        {
          data: op.data,
          acl: op.acl,
          czxid: zxid,
          mzxid: zxid,
          pzxid: zxid,
          ctime: time,
          mtime: time,
          version: 0,
          cversion: 0,
          aversion: 0,
          owner: op.owner,
          children: new Set(),
        },
        zxid,
      );
      out.push(
        { type: "NodeCreated", path: op.path, acl: op.acl },
        { type: "NodeChildrenChanged", path: parentKey(op.path), acl: aclOf(tree, parentKey(op.path)) },
      );
      return;
    case "delete": {
      const acl = aclOf(tree, op.path);
      tree.removeNode(op.path, zxid);
      out.push(
        { type: "NodeDeleted", path: op.path, acl },
        { type: "NodeChildrenChanged", path: parentKey(op.path), acl: aclOf(tree, parentKey(op.path)) },
      );
      return;
    }
    case "setData": {
      const n = tree.mutable(op.path);
      n.data = op.data;
      n.version = op.version;
      n.mzxid = zxid;
      n.mtime = time;
      out.push({ type: "NodeDataChanged", path: op.path, acl: n.acl });
      return;
    }
    case "setACL": {
      const n = tree.mutable(op.path);
      n.acl = op.acl;
      n.aversion = op.aversion;
      return;
    }
    case "check":
      return;
  }
}

/** `onSub` runs after each create/delete/setData/setACL/check applies (multi result stats) */
export function applyTxn(tree: DataTree, txn: Txn, onSub?: (op: SubTxn) => void): Trigger[] {
  const out: Trigger[] = [];
  switch (txn.t) {
    case "createSession":
      tree.sessions.set(txn.sessionId, txn.timeoutMs);
      break;
    case "closeSession": {
      const paths = [...(tree.ephemerals.get(txn.sessionId) ?? [])].sort();
      for (const path of paths) applySub(tree, { t: "delete", path }, txn.zxid, txn.time, out);
      tree.sessions.delete(txn.sessionId);
      break;
    }
    case "deleteContainer":
      applySub(tree, { t: "delete", path: txn.path }, txn.zxid, txn.time, out);
      break;
    case "multi":
      for (const op of txn.ops) {
        applySub(tree, op, txn.zxid, txn.time, out);
        onSub?.(op);
      }
      break;
    case "error":
      break;
    default:
      applySub(tree, txn, txn.zxid, txn.time, out);
      onSub?.(txn);
  }
  tree.lastZxid = txn.zxid;
  return out;
}
