/**
 * Who a gray release reaches (issue 16): instances matching a label selector, named instances
 * or hosts, and/or a percentage of the matching instances. The percentage picks by a stable
 * bucket of the instance id in 0..9,999, salted with the gray release's id: the same instances
 * stay in when the percentage grows (5 % → 25 % only adds), and two gray releases do not always
 * land on the same unlucky instances. Every server computes the same answer from the same
 * inputs, so which content an instance gets does not depend on the server it is connected to.
 */
import { createHash } from "node:crypto";
import { ConfigError } from "../errors.ts";
import { matches, parseSelector, type LabelSelector } from "../label-selector.ts";

export const BUCKETS = 10_000;

export interface GrayTargetInput {
  /** label selector text, e.g. `region=eu-1,canary=true` */
  selector?: string;
  /** instance ids targeted by name */
  instances?: readonly string[];
  hosts?: readonly string[];
  /** 0-100, two decimals at most: of the instances the other fields match (all when none is set) */
  percent?: number;
}

export interface GrayTarget {
  selector: LabelSelector | null;
  instances: ReadonlySet<string>;
  hosts: ReadonlySet<string>;
  /** in buckets: an instance is in when its bucket is below this */
  cutoff: number;
}

/** what the target is checked against: the instance registry's view of one instance */
export interface TargetedInstance {
  instanceId: string;
  host: string;
  labels: Readonly<Record<string, string>>;
}

/** Validates a target; throws INVALID_INPUT naming what is wrong. */
export function parseGrayTarget(input: GrayTargetInput): GrayTarget {
  const percent = input.percent ?? 100;
  if (
    !Number.isFinite(percent) ||
    percent < 0 ||
    percent > 100 ||
    Math.abs(percent * 100 - Math.round(percent * 100)) > 1e-6
  )
    throw new ConfigError("INVALID_INPUT", `gray percentage must be 0-100 with at most two decimals, got ${percent}`);
  const selector = input.selector?.trim() ? parseSelector(input.selector) : null;
  const instances = new Set(input.instances ?? []);
  const hosts = new Set(input.hosts ?? []);
  if (!selector && instances.size === 0 && hosts.size === 0 && input.percent === undefined)
    throw new ConfigError(
      "INVALID_INPUT",
      "a gray release needs a target: a selector, instances, hosts or a percentage",
    );
  return { selector, instances, hosts, cutoff: Math.round(percent * 100) };
}

/** the instance's stable bucket for one gray release, 0..BUCKETS-1 */
export function bucketOf(grayId: string, instanceId: string): number {
  const digest = createHash("sha256").update(grayId).update("\0").update(instanceId).digest();
  return digest.readUInt32BE(0) % BUCKETS;
}

/**
 * Whether the gray release `grayId` reaches `inst`. Named instances and hosts are always in;
 * otherwise the instance must match the selector (when one is given) and fall in the percentage.
 * With names or hosts but no selector, the percentage applies to nobody else.
 */
export function isTargeted(grayId: string, target: GrayTarget, inst: TargetedInstance): boolean {
  if (target.instances.has(inst.instanceId) || target.hosts.has(inst.host)) return true;
  const named = target.instances.size > 0 || target.hosts.size > 0;
  if (target.selector ? !matches(target.selector, inst.labels) : named) return false;
  return bucketOf(grayId, inst.instanceId) < target.cutoff;
}
