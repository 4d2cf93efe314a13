/**
 * Publish policies per path prefix (issue 14): `direct` (a save publishes at once) or `review`
 * (publishing needs N approvals). The most specific prefix covering a path wins; with none, the
 * install's default is `direct` on "/", so the quick start stays one click. Policies are read
 * from the shared database on every decision, so a change made on one server applies on all.
 */
import { isWithin } from "@conifer/coordinator";
import { authorize } from "../auth/authz.ts";
import { ConfigError } from "../errors.ts";
import type { PolicyRecord, ReleaseStore } from "@conifer/history";
import { checkPath } from "../paths.ts";
import { auditAction, type Caller } from "./caller.ts";
import type { HistoryPort } from "../history-port.ts";

export type PolicyMode = PolicyRecord["mode"];

export interface EffectivePolicy {
  /** the prefix whose policy applies ("/" for the built-in default) */
  prefix: string;
  mode: PolicyMode;
  /** 0 under `direct` */
  approvalsRequired: number;
}

export const DEFAULT_POLICY: EffectivePolicy = { prefix: "/", mode: "direct", approvalsRequired: 0 };

/** The policy of `path`: the longest prefix covering it (segment-wise), else the default. */
export function resolvePolicy(policies: readonly PolicyRecord[], path: string): EffectivePolicy {
  let best: PolicyRecord | undefined;
  for (const p of policies) if (isWithin(path, p.prefix) && (!best || p.prefix.length > best.prefix.length)) best = p;
  if (!best) return DEFAULT_POLICY;
  return {
    prefix: best.prefix,
    mode: best.mode,
    approvalsRequired: best.mode === "direct" ? 0 : Math.max(1, best.approvalsRequired),
  };
}

/** What a change over `paths` needs: review when any key is under review, the largest N of them. */
export function requirementFor(policies: readonly PolicyRecord[], paths: readonly string[]): EffectivePolicy {
  let out = DEFAULT_POLICY;
  for (const path of paths) {
    const p = resolvePolicy(policies, path);
    if (p.approvalsRequired > out.approvalsRequired) out = p;
  }
  return out;
}

export class PolicyService {
  constructor(
    private readonly store: ReleaseStore,
    private readonly history: HistoryPort,
  ) {}

  list(): Promise<PolicyRecord[]> {
    return this.store.policies();
  }

  async effective(path: string): Promise<EffectivePolicy> {
    checkPath(path);
    return resolvePolicy(await this.store.policies(), path);
  }

  async set(caller: Caller, input: { prefix: string; mode: PolicyMode; approvalsRequired?: number }) {
    checkPath(input.prefix);
    authorize(caller.principal, "policy", input.prefix);
    const n = input.mode === "direct" ? 0 : (input.approvalsRequired ?? 1);
    if (!Number.isInteger(n) || n < (input.mode === "review" ? 1 : 0) || n > 20)
      throw new ConfigError("INVALID_INPUT", "approvalsRequired must be a whole number from 1 to 20 under review", {
        issues: [{ path: ["approvalsRequired"], message: "1 to 20" }],
      });
    const saved = await this.store.setPolicy({
      prefix: input.prefix,
      mode: input.mode,
      approvalsRequired: n,
      updatedBy: caller.actor.author,
    });
    await auditAction(this.history, caller, "policy.set", input.prefix, `${input.mode}, ${n} approval(s)`);
    return saved;
  }

  async remove(caller: Caller, prefix: string): Promise<{ removed: boolean }> {
    checkPath(prefix);
    authorize(caller.principal, "policy", prefix);
    const removed = await this.store.removePolicy(prefix);
    if (removed) await auditAction(this.history, caller, "policy.remove", prefix);
    return { removed };
  }
}
