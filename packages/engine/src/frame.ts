/**
 * The size a request would have on ZooKeeper's wire, so the engine refuses exactly the requests
 * a ZooKeeper server refuses. A server reads no frame longer than jute.maxbuffer (1,048,575
 * bytes by default) and closes the connection instead; what bounds a request is therefore its
 * whole frame - header, path, data, ACL - not the data alone (the largest setData is
 * 1,048,555 bytes minus the path's UTF-8 length). Sizes follow the Java client's encoding:
 * create2 / createTTL / createContainer for a create, one header per multi sub-op and a closing
 * header.
 */
import { OPEN_ACL_UNSAFE } from "@conifer/coordinator";
import type { CreateOptions, Op } from "@conifer/coordinator";
import type { UncheckedAcl } from "./acl.ts";
import { asText } from "./as-error.ts";

/** ZooKeeper's default jute.maxbuffer (0xfffff) */
export const JUTE_MAX_BUFFER = 1_048_575;

/** xid + opcode */
const HEADER = 8;
/** a multi sub-op header: type, done, err */
const MULTI_HEADER = 9;

const str = (s: string): number => 4 + Buffer.byteLength(s, "utf8");
const bytes = (b: Buffer | null | undefined): number => 4 + (b ? b.length : 0);

function aclBytes(acl: readonly UncheckedAcl[]): number {
  let n = 4;
  for (const a of acl) n += 4 + str(asText(a.id?.scheme)) + str(asText(a.id?.id));
  return n;
}

function isTtl(options: CreateOptions | undefined): boolean {
  return options?.mode === "PERSISTENT_WITH_TTL" || options?.mode === "PERSISTENT_SEQUENTIAL_WITH_TTL";
}

/** path, data, acl, flags (and the ttl of a TTL node) */
function createBody(path: string, data: Buffer | null | undefined, options: CreateOptions | undefined): number {
  return str(path) + bytes(data) + aclBytes(options?.acl ?? OPEN_ACL_UNSAFE) + 4 + (isTtl(options) ? 8 : 0);
}

export function createFrameBytes(path: string, data: Buffer | null | undefined, options?: CreateOptions): number {
  return HEADER + createBody(path, data, options);
}

export function setDataFrameBytes(path: string, data: Buffer | null | undefined): number {
  return HEADER + str(path) + bytes(data) + 4;
}

export function multiFrameBytes(ops: readonly Op[]): number {
  let n = HEADER + MULTI_HEADER;
  for (const op of ops) {
    n += MULTI_HEADER;
    if (op.type === "create") n += createBody(op.path, op.data, op.options);
    else if (op.type === "setData") n += str(op.path) + bytes(op.data) + 4;
    else n += str(op.path) + 4;
  }
  return n;
}
