/**
 * multi (14) and multiRead (22) records on the server side (§2.4, §2.5, §5.4): sub-ops read
 * between MultiHeaders, results written with ZooKeeper's result types, a failed multi answered
 * with header err 0 and one ErrorResponse per sub-op.
 */
import { CoordinatorError, ErrorCode } from "@conifer/coordinator";
import type { Op, OpResult } from "@conifer/coordinator";
import { OpCode, writeStat } from "@conifer/zookeeper/wire";
import type { JuteReader, JuteWriter } from "@conifer/zookeeper/wire";
import { createOptions, readCreateRequest } from "./create.ts";

/** a multiRead sub-op */
export interface ReadOp {
  type: typeof OpCode.getData | typeof OpCode.getChildren;
  path: string;
}

/** thrown for a sub-op type a multi may not carry: the whole request gets MARSHALLING_ERROR */
export class MultiShapeError extends Error {}

export function readMultiOps(r: JuteReader): Op[] {
  const ops: Op[] = [];
  for (;;) {
    const type = r.int();
    const done = r.bool();
    r.int();
    if (done) return ops;
    switch (type) {
      case OpCode.create:
      case OpCode.create2:
      case OpCode.createContainer:
      case OpCode.createTTL: {
        const { path, data, acl, flags, ttl } = readCreateRequest(r, type);
        ops.push({ type: "create", path, data: data ?? Buffer.alloc(0), options: createOptions(flags, acl, ttl) });
        break;
      }
      case OpCode.delete:
        ops.push({ type: "delete", path: r.ustring() ?? "", version: r.int() });
        break;
      case OpCode.setData:
        ops.push({ type: "setData", path: r.ustring() ?? "", data: r.buffer() ?? Buffer.alloc(0), version: r.int() });
        break;
      case OpCode.check:
        ops.push({ type: "check", path: r.ustring() ?? "", version: r.int() });
        break;
      default:
        throw new MultiShapeError(`multi sub-op type ${type}`);
    }
  }
}

export function readMultiReadOps(r: JuteReader): ReadOp[] {
  const ops: ReadOp[] = [];
  for (;;) {
    const type = r.int();
    const done = r.bool();
    r.int();
    if (done) return ops;
    if (type !== OpCode.getData && type !== OpCode.getChildren) throw new MultiShapeError(`multiRead sub-op ${type}`);
    const path = r.ustring() ?? "";
    r.bool(); // the watch flag is ignored in a multiRead
    ops.push({ type, path });
  }
}

function end(w: JuteWriter): void {
  w.int(-1).bool(true).int(-1);
}

export function writeMultiResults(w: JuteWriter, results: readonly OpResult[]): void {
  for (const res of results) {
    switch (res.type) {
      case "create":
        if (res.stat) {
          w.int(OpCode.create2).bool(false).int(0).ustring(res.path);
          writeStat(w, res.stat);
        } else w.int(OpCode.create).bool(false).int(0).ustring(res.path);
        break;
      case "delete":
        w.int(OpCode.delete).bool(false).int(0);
        break;
      case "setData":
        w.int(OpCode.setData).bool(false).int(0);
        writeStat(w, res.stat);
        break;
      case "check":
        w.int(OpCode.check).bool(false).int(0);
        break;
    }
  }
  end(w);
}

/** the per-op codes of a failed multi (OK before, own code, RUNTIME_INCONSISTENCY after) */
export function failedCodes(err: CoordinatorError, count: number): number[] {
  if (err.opCodes) return err.opCodes.map((c) => ErrorCode[c]);
  return Array.from({ length: count }, () => err.codeNumber);
}

export function writeMultiFailure(w: JuteWriter, codes: readonly number[]): void {
  for (const c of codes) w.int(OpCode.error).bool(false).int(c).int(c);
  end(w);
}

export type ReadResult =
  | { type: typeof OpCode.getData; data: Buffer; stat: import("@conifer/coordinator").Stat }
  | { type: typeof OpCode.getChildren; children: string[] }
  | { type: typeof OpCode.error; err: number };

export function writeMultiReadResults(w: JuteWriter, results: readonly ReadResult[]): void {
  for (const res of results) {
    if (res.type === OpCode.getData) {
      w.int(OpCode.getData).bool(false).int(0).buffer(res.data);
      writeStat(w, res.stat);
    } else if (res.type === OpCode.getChildren) {
      w.int(OpCode.getChildren).bool(false).int(0);
      w.vector(res.children, (ww, c) => void ww.ustring(c));
    } else w.int(OpCode.error).bool(false).int(res.err).int(res.err);
  }
  end(w);
}
