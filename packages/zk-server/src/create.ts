/** CreateRequest (§1.2): its record as read off the wire, and its flags to the Coordinator's CreateOptions. */
import { CoordinatorError, CreateMode } from "@conifer/coordinator";
import type { ACL, CreateModeName, CreateOptions } from "@conifer/coordinator";
import { OpCode, readAcl } from "@conifer/zookeeper/wire";
import type { JuteReader } from "@conifer/zookeeper/wire";

export interface CreateRequest {
  path: string;
  data: Buffer | null;
  acl: ACL[];
  flags: number;
  /** createTTL only */
  ttl: bigint | null;
}

/** reads a create / create2 / createContainer / createTTL request body (the flags are checked later, by createOptions) */
export function readCreateRequest(r: JuteReader, op: number): CreateRequest {
  const path = r.ustring() ?? "";
  const data = r.buffer();
  const acl = readAcl(r);
  const flags = r.int();
  const ttl = op === OpCode.createTTL ? r.long() : null;
  return { path, data, acl, flags, ttl };
}

const modeByFlag = new Map<number, CreateModeName>(
  (Object.keys(CreateMode) as CreateModeName[]).map((name) => [CreateMode[name], name]),
);

export function createOptions(flags: number, acl: ACL[], ttl: bigint | null): CreateOptions {
  const mode = modeByFlag.get(flags);
  if (mode === undefined) throw new CoordinatorError("BAD_ARGUMENTS", `unknown create flags ${flags}`);
  const options: CreateOptions = { mode, acl };
  if (ttl !== null) options.ttl = Number(ttl);
  return options;
}
