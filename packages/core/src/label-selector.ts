/**
 * Label selectors, Kubernetes' equality-based grammar: `a=b`, `a==b`, `a!=b`, `key` (has the
 * label), `!key` (lacks it), terms joined by commas and ANDed. Gray releases target instances with
 * them, and the instances list filters by them. Parsing is strict and says which term is wrong:
 * a selector that silently matched nothing (or everything) would send a release to the wrong fleet.
 */
import { labelKeyProblem, labelValueProblem } from "@conifer/protocol";
import { ConfigError } from "./errors.ts";

export type SelectorTerm =
  | { op: "eq"; key: string; value: string }
  | { op: "neq"; key: string; value: string }
  | { op: "exists"; key: string }
  | { op: "absent"; key: string };

/** Terms ANDed; the empty selector matches every instance. */
export interface LabelSelector {
  terms: SelectorTerm[];
}

const MAX_SELECTOR_LENGTH = 4096;

function invalid(message: string, term: string, position: number): ConfigError<"INVALID_INPUT"> {
  return new ConfigError(
    "INVALID_INPUT",
    `Invalid label selector: ${message} (term ${JSON.stringify(term)} at position ${position})`,
    {
      issues: [{ path: ["selector"], message: `${message} at position ${position}` }],
    },
  );
}

/** Parses `text`; throws ConfigError INVALID_INPUT naming the bad term and where it starts. */
export function parseSelector(text: string): LabelSelector {
  if (text.length > MAX_SELECTOR_LENGTH)
    throw new ConfigError("INVALID_INPUT", `Invalid label selector: longer than ${MAX_SELECTOR_LENGTH} characters`, {
      issues: [{ path: ["selector"], message: "too long" }],
    });
  if (text.trim() === "") return { terms: [] };
  const terms: SelectorTerm[] = [];
  let start = 0;
  for (const raw of text.split(",")) {
    const lead = raw.length - raw.trimStart().length;
    terms.push(parseTerm(raw.trim(), start + lead));
    start += raw.length + 1;
  }
  return { terms };
}

function parseTerm(term: string, position: number): SelectorTerm {
  if (term === "") throw invalid("empty term", term, position);
  const m = /^(.*?)\s*(!=|==|=)\s*(.*)$/.exec(term);
  if (m) {
    const [, key = "", operator, value = ""] = m;
    checkKey(key, term, position);
    if (/[=!]/.test(value)) throw invalid("more than one operator", term, position);
    const problem = labelValueProblem(value);
    if (problem) throw invalid(problem, term, position);
    return { op: operator === "!=" ? "neq" : "eq", key, value };
  }
  if (term.startsWith("!")) {
    const key = term.slice(1).trim();
    checkKey(key, term, position);
    return { op: "absent", key };
  }
  checkKey(term, term, position);
  return { op: "exists", key: term };
}

function checkKey(key: string, term: string, position: number): void {
  if (key === "") throw invalid("missing label key", term, position);
  const problem = labelKeyProblem(key);
  if (problem) throw invalid(problem, term, position);
}

/**
 * Whether `labels` satisfy every term. As in Kubernetes, `a!=b` also matches instances without
 * label `a`: "not on the canary" includes instances that never said.
 */
export function matches(selector: LabelSelector, labels: Readonly<Record<string, string>> = {}): boolean {
  return selector.terms.every((t) => {
    const has = Object.hasOwn(labels, t.key);
    switch (t.op) {
      case "eq":
        return has && labels[t.key] === t.value;
      case "neq":
        return !has || labels[t.key] !== t.value;
      case "exists":
        return has;
      case "absent":
        return !has;
    }
  });
}
