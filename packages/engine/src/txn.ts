/**
 * Transactions: what the log records and what recovery replays. A txn carries everything
 * apply needs (zxid, leader time, resolved sequential path, expanded ACL, new version), so
 * applying it is deterministic. Encoded as JSON with bigints and buffers tagged (see codec.ts).
 */
import type { ACL } from "@conifer/coordinator";
import { decodeValue, encodeValue } from "./codec.ts";

export type SubTxn =
  | { t: "create"; path: string; data: Buffer | null; acl: ACL[]; owner: bigint }
  | { t: "delete"; path: string }
  | { t: "setData"; path: string; data: Buffer | null; version: number }
  | { t: "setACL"; path: string; acl: ACL[]; aversion: number }
  | { t: "check"; path: string };

export type TxnBody =
  | SubTxn
  | { t: "createSession"; sessionId: bigint; timeoutMs: number }
  | { t: "closeSession"; sessionId: bigint }
  | { t: "deleteContainer"; path: string }
  | { t: "multi"; ops: SubTxn[] }
  /** a failed write still consumes its zxid (§2.6) */
  | { t: "error"; code: number };

export type Txn = TxnBody & { zxid: bigint; time: number };

export function encodeTxn(txn: Txn): Uint8Array {
  if (txn.t === "setData") return Buffer.from(setDataJson(txn), "utf8");
  return Buffer.from(JSON.stringify(encodeValue(txn)), "utf8");
}

/**
 * The same bytes as the generic path for the most frequent write (txn.test.ts checks it), built
 * as one string: the generic path copies the txn into a tagged object and has JSON.stringify
 * scan the base64 of the value for characters to escape, about half of a 1 KB setData's
 * encoding time on the server's one thread. Base64 and numbers need no escaping; the path does.
 */
function setDataJson(txn: Extract<Txn, { t: "setData" }>): string {
  const data = txn.data === null ? "null" : `{"$b":"${txn.data.toString("base64")}"}`;
  return `{"t":"setData","path":${JSON.stringify(txn.path)},"data":${data},"version":${txn.version},"zxid":{"$n":"${txn.zxid}"},"time":${txn.time}}`;
}

export function decodeTxn(payload: Uint8Array): Txn {
  const txn = decodeValue(
    JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("utf8")),
  );
  if (typeof txn !== "object" || txn === null) throw new Error("corrupt transaction record");
  const { t, zxid } = txn as { t?: unknown; zxid?: unknown };
  if (typeof t !== "string" || typeof zxid !== "bigint") throw new Error("corrupt transaction record");
  return txn as Txn;
}
