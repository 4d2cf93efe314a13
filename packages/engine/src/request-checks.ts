/**
 * The checks a ZooKeeper client library makes before a request leaves it (the Java client's and
 * our ZooKeeper adapter's): a request they refuse never reaches the server and costs no zxid, so
 * the in-process session refuses the same requests the same way, in issue order.
 */
import { CoordinatorError, assertValidPath } from "@conifer/coordinator";
import type { CreateOptions, Op } from "@conifer/coordinator";
import { JUTE_MAX_BUFFER, multiFrameBytes } from "./frame.ts";

export function isSequential(mode: string | undefined): boolean {
  return (
    mode === "PERSISTENT_SEQUENTIAL" || mode === "EPHEMERAL_SEQUENTIAL" || mode === "PERSISTENT_SEQUENTIAL_WITH_TTL"
  );
}

/** Java's String.trim, as the server applies it to getEphemerals' prefix: code units <= U+0020 */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

const WRITE_OPS = new Set(["create", "delete", "setData", "check"]);

/** Like the Java client, a sequential path is checked with a digit appended, since the server adds one. */
export function checkPath(path: string, sequential = false): void {
  assertValidPath(sequential && typeof path === "string" ? `${path}0` : path);
}

/** The data as the node will keep it, refused over `cap` (the engine's maxDataBytes) bytes. */
export function sized(data: Buffer | null | undefined, path: string, cap: number | undefined): Buffer | null {
  if (data === null) return null;
  if (data === undefined) return Buffer.alloc(0);
  if (cap !== undefined && data.length > cap) {
    throw new CoordinatorError(
      "BAD_ARGUMENTS",
      `data for ${path} is ${data.length} bytes, more than the maximum of ${cap} bytes (maxDataBytes)`,
      path,
    );
  }
  // A copy of its own rather than a slice of Node's shared 8 KB buffer pool: znode data lives
  // as long as the node, and a long-lived slice pins its whole pool slab (heap snapshots showed
  // ~1.2 KB per idle SDK connection, through each one's ephemeral instance node).
  const copy = Buffer.allocUnsafeSlow(data.length);
  data.copy(copy);
  return copy;
}

/** a request ZooKeeper's server would not read (frame over jute.maxbuffer) is refused here */
export function checkFrame(size: number, what: string, path?: string): void {
  if (size > JUTE_MAX_BUFFER) {
    throw new CoordinatorError(
      "BAD_ARGUMENTS",
      `${what} is ${size} bytes on the wire, more than ZooKeeper's jute.maxbuffer of ${JUTE_MAX_BUFFER} bytes`,
      path,
    );
  }
}

/** a TTL is whole milliseconds: a fraction is refused before it is sent, as our adapter does */
export function checkTtl(path: string, options: CreateOptions | undefined): void {
  const ttl = options?.ttl;
  const withTtl = options?.mode === "PERSISTENT_WITH_TTL" || options?.mode === "PERSISTENT_SEQUENTIAL_WITH_TTL";
  if (withTtl && typeof ttl === "number" && !Number.isInteger(ttl)) {
    throw new CoordinatorError("BAD_ARGUMENTS", `ttl must be a whole number of milliseconds, got ${ttl}`, path);
  }
}

/**
 * The client-side checks of a multi (untyped callers may put holes, nulls or other op types in
 * `ops`); answers the ops with their data copied and sized.
 */
export function checkMulti(ops: readonly (Op | null | undefined)[], cap: number | undefined): Op[] {
  const copies: Op[] = [];
  const checked: Op[] = [];
  for (const op of ops) {
    if (!op || !WRITE_OPS.has(op.type)) {
      throw new CoordinatorError(
        "MARSHALLING_ERROR",
        `multi accepts create, delete, setData and check, not ${JSON.stringify(op?.type)}`,
      );
    }
    checked.push(op);
    checkPath(op.path, op.type === "create" && isSequential(op.options?.mode));
    if (op.type === "create") checkTtl(op.path, op.options);
    if (op.type === "create") copies.push({ ...op, data: sized(op.data, op.path, cap) ?? undefined });
    else if (op.type === "setData") copies.push({ ...op, data: sized(op.data, op.path, cap) as Buffer });
    else copies.push(op);
  }
  // ZooKeeper bounds the whole request (jute.maxbuffer), not each sub-op; so does a cap
  checkFrame(multiFrameBytes(checked), `multi of ${ops.length} ops`);
  const total = copies.reduce(
    (n, op) => n + (op.type === "create" || op.type === "setData" ? (op.data?.length ?? 0) : 0),
    0,
  );
  if (cap !== undefined && total > cap) {
    throw new CoordinatorError(
      "BAD_ARGUMENTS",
      `multi carries ${total} bytes of data, more than the maximum of ${cap} bytes (maxDataBytes)`,
    );
  }
  return copies;
}
