/**
 * Instance labels: the key=value identity an SDK instance announces in its hello, which gray
 * releases select on. Kubernetes' rules, so operators can reuse the habits (and selectors) they
 * already have: keys are an optional DNS-subdomain prefix plus "/" plus a name, values may be empty.
 */
import { z } from "zod";

/** at most this many labels per instance: the record is rewritten on every applied report */
export const MAX_LABELS = 32;

const NAME = /^[A-Za-z0-9]([-_.A-Za-z0-9]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is not a valid label key, or undefined when it is. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)))
    return `label key ${JSON.stringify(key)}: the prefix must be a DNS subdomain of at most 253 characters`;
  if (name.length === 0 || name.length > 63 || !NAME.test(name))
    return `label key ${JSON.stringify(key)}: the name must be 1-63 characters [A-Za-z0-9-_.], starting and ending alphanumeric`;
  return undefined;
}

/** Why `value` is not a valid label value, or undefined when it is. */
export function labelValueProblem(value: string): string | undefined {
  if (value === "") return undefined;
  if (value.length > 63 || !NAME.test(value))
    return `label value ${JSON.stringify(value)}: at most 63 characters [A-Za-z0-9-_.], starting and ending alphanumeric`;
  return undefined;
}

export const zLabelValue = z.string().superRefine((value, ctx) => {
  const problem = labelValueProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

// keys are checked on the whole record: zod reports a bad record key only as "Invalid key in
// record", and callers need to be told which key and why
export const zLabels = z.record(z.string(), zLabelValue).superRefine((labels, ctx) => {
  const keys = Object.keys(labels);
  if (keys.length > MAX_LABELS)
    ctx.addIssue({ code: "custom", message: `at most ${MAX_LABELS} labels, got ${keys.length}` });
  for (const key of keys) {
    const problem = labelKeyProblem(key);
    if (problem) ctx.addIssue({ code: "custom", message: problem, path: [key] });
  }
});
export type Labels = z.infer<typeof zLabels>;
