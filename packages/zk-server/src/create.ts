/** CreateRequest flags (§1.2) to the Coordinator's CreateOptions. */
import { CoordinatorError, CreateMode } from "@conifer/coordinator";
import type { ACL, CreateModeName, CreateOptions } from "@conifer/coordinator";

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
