/**
 * multi (§2.4): every sub-op is validated against the state the earlier ones produce, by
 * applying them tentatively under the tree's journal and rolling back afterwards either way.
 * Success yields the sub-txns of one multi txn; failure yields ZooKeeper's per-op codes (OK
 * before the failing op, its code, RUNTIME_INCONSISTENCY after).
 */
import { CoordinatorError } from "@conifer/coordinator";
import type { ErrorCodeName, Op, OpResult, Stat } from "@conifer/coordinator";
import { applySub } from "./apply.ts";
import { prepCheck, prepCreate, prepDelete, prepSetData } from "./prep.ts";
import type { PrepContext } from "./prep.ts";
import type { SubTxn, Txn } from "./txn.ts";
import { isContainer, ttlOf } from "./znode.ts";

function prepOp(ctx: PrepContext, op: Op): SubTxn {
  switch (op.type) {
    case "create":
      return prepCreate(ctx, op.path, op.data === undefined ? Buffer.alloc(0) : op.data, op.options);
    case "delete":
      return prepDelete(ctx, op.path, op.version);
    case "setData":
      return prepSetData(ctx, op.path, op.data, op.version);
    case "check":
      return prepCheck(ctx, op.path, op.version);
  }
}

export type MultiPrep = { ok: true; subs: SubTxn[] } | { ok: false; error: CoordinatorError };

export function prepMulti(ctx: PrepContext, ops: readonly Op[], zxid: bigint, time: number): MultiPrep {
  const subs: SubTxn[] = [];
  ctx.tree.beginJournal();
  try {
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i] as Op;
      try {
        const sub = prepOp(ctx, op);
        applySub(ctx.tree, sub, zxid, time, []);
        subs.push(sub);
      } catch (err) {
        if (!(err instanceof CoordinatorError)) throw err;
        const opCodes: ErrorCodeName[] = ops.map((_, j) =>
          j < i ? "OK" : j === i ? err.code : "RUNTIME_INCONSISTENCY",
        );
        const error = new CoordinatorError(
          err.code,
          `multi op #${i} (${op.type} ${op.path}) failed: ${err.message}`,
          err.path,
          {
            cause: err,
            opCodes,
          },
        );
        return { ok: false, error };
      }
    }
    return { ok: true, subs };
  } finally {
    ctx.tree.rollbackJournal();
  }
}

/** results of a successful multi; `stats[i]` is sub-op i's node right after it applied */
export function multiResults(txn: Txn, stats: (Stat | null)[]): OpResult[] {
  const subs = txn.t === "multi" ? txn.ops : [];
  return subs.map((sub, i): OpResult => {
    const stat = stats[i] ?? undefined;
    switch (sub.t) {
      case "create":
        // ZooKeeper answers a plain create with {path}; container and TTL creates with {path, stat}
        return isContainer(sub.owner) || ttlOf(sub.owner) !== null
          ? { type: "create", path: sub.path, stat }
          : { type: "create", path: sub.path };
      case "delete":
        return { type: "delete" };
      case "setData":
        return { type: "setData", stat: stat as Stat };
      default:
        return { type: "check" };
    }
  });
}
