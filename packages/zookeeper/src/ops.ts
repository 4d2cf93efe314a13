/**
 * Encoders and decoders for the operation records the Session uses (§5.4 of the protocol
 * reference), including multi's header-delimited sub-ops and its per-op failure results.
 */
import {
  assertValidPath,
  CoordinatorError,
  CreateMode,
  errorCodeName,
  OPEN_ACL_UNSAFE,
  type CreateOptions,
  type ErrorCodeName,
  type Op,
  type OpResult,
} from "@conifer/coordinator";
import type { JuteReader, JuteWriter } from "./wire/jute.ts";
import { OpCode, readStat, writeAcl } from "./wire/records.ts";

export interface CreatePlan {
  opcode: number;
  flags: number;
  ttl: bigint | null;
}

/** which opcode and flags a create with these options uses (the Java client's choice) */
export function planCreate(options: CreateOptions | undefined, inMulti: boolean): CreatePlan {
  const mode = options?.mode ?? "PERSISTENT";
  // untyped callers can pass any string: look it up as one
  const flags = (CreateMode as Record<string, number | undefined>)[mode] ?? -1;
  if (flags < 0) throw new CoordinatorError("BAD_ARGUMENTS", `unknown create mode ${mode}`);
  if (mode === "PERSISTENT_WITH_TTL" || mode === "PERSISTENT_SEQUENTIAL_WITH_TTL") {
    const ttl = options?.ttl ?? 0;
    // jute would truncate a fraction; refused instead, with the engine's answer
    if (!Number.isInteger(ttl))
      throw new CoordinatorError("BAD_ARGUMENTS", `ttl must be a whole number of milliseconds, got ${ttl}`);
    return { opcode: OpCode.createTTL, flags, ttl: BigInt(ttl) };
  }
  if (mode === "CONTAINER") return { opcode: OpCode.createContainer, flags, ttl: null };
  return { opcode: inMulti ? OpCode.create : OpCode.create2, flags, ttl: null };
}

export function isSequential(options: CreateOptions | undefined): boolean {
  const m = options?.mode ?? "PERSISTENT";
  return m === "PERSISTENT_SEQUENTIAL" || m === "EPHEMERAL_SEQUENTIAL" || m === "PERSISTENT_SEQUENTIAL_WITH_TTL";
}

/**
 * Like the Java client's validatePath(path, isSequential): a sequential name is checked with
 * its suffix, so "/p/" and also "/p/." or "/p/.." are valid ("/p/.0000000000" is a plain name).
 */
export function assertValidCreatePath(path: string, sequential: boolean): void {
  assertValidPath(sequential ? `${path}0` : path);
}

export function writeCreate(
  w: JuteWriter,
  serverPath: string,
  data: Buffer | null | undefined,
  options: CreateOptions | undefined,
  plan: CreatePlan,
): void {
  w.ustring(serverPath).buffer(data ?? null);
  writeAcl(w, options?.acl ?? OPEN_ACL_UNSAFE);
  w.int(plan.flags);
  if (plan.ttl !== null) w.long(plan.ttl);
}

/** writes a multi request body; `toServer` maps client paths (chroot) */
export function writeMulti(w: JuteWriter, ops: readonly Op[], toServer: (p: string) => string): void {
  // each sub-op is preceded by a MultiHeader (type, done = false, err = -1)
  const header = (type: number) => w.int(type).bool(false).int(-1);
  for (const op of ops) {
    if (op.type === "create") {
      const plan = planCreate(op.options, true);
      header(plan.opcode);
      writeCreate(w, toServer(op.path), op.data, op.options, plan);
      continue;
    }
    header(OpCode[op.type]).ustring(toServer(op.path));
    if (op.type === "setData") w.buffer(op.data);
    w.int(op.version ?? -1);
  }
  w.int(-1).bool(true).int(-1);
}

/** one successful sub-op's result of a multi response */
function readOpResult(r: JuteReader, type: number, fromServer: (p: string) => string): OpResult {
  switch (type) {
    case OpCode.create:
      return { type: "create", path: fromServer(r.ustring() ?? "") };
    case OpCode.create2:
      return { type: "create", path: fromServer(r.ustring() ?? ""), stat: readStat(r) };
    case OpCode.delete:
      return { type: "delete" };
    case OpCode.setData:
      return { type: "setData", stat: readStat(r) };
    case OpCode.check:
      return { type: "check" };
    default:
      throw new Error(`multi: unexpected result type ${type}`);
  }
}

/** reads a multi response; throws CoordinatorError with opCodes when the multi failed */
export function readMulti(r: JuteReader, ops: readonly Op[], fromServer: (p: string) => string): OpResult[] {
  const results: OpResult[] = [];
  const codes: ErrorCodeName[] = [];
  let failed = false;
  for (;;) {
    const type = r.int();
    const done = r.bool();
    r.int(); // header err; the per-op ErrorResponse carries the real one
    if (done) break;
    if (type === OpCode.error) {
      failed = true;
      codes.push(errorCodeName(r.int()));
      continue;
    }
    results.push(readOpResult(r, type, fromServer));
    codes.push("OK");
  }
  if (!failed) return results;
  const index = codes.findIndex((c) => c !== "OK");
  const code = codes[index] ?? "SYSTEM_ERROR";
  throw new CoordinatorError(code, `multi failed at op ${index}: ${code}`, ops[index]?.path, { opCodes: codes });
}
