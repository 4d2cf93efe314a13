/**
 * Path checks at the domain edge: ZooKeeper's own rules (shared pathProblem) plus what a config
 * center must also refuse before anything reaches the backend. Which subtrees are the server's
 * or ZooKeeper's own bookkeeping (never versioned in history) is @conifer/shared's rule, the one
 * the console marks system nodes with.
 */
import { pathProblem } from "@conifer/coordinator";
import { CHANGE_SIGNALS_ROOT, CONIFER_ROOT, GRAY_ROOT, INSTANCES_ROOT, isSystemPath } from "@conifer/shared";
import { ConfigError } from "./errors.ts";

export { CHANGE_SIGNALS_ROOT, CONIFER_ROOT, GRAY_ROOT, INSTANCES_ROOT, isSystemPath };

/** Lone surrogates (e.g. from a bad percent-decoding) cannot be encoded as UTF-8. */
function hasLoneSurrogate(s: string): boolean {
  return (
    /(?:[\uD800-\uDBFF](?![\uDC00-\uDFFF]))|(?:(?<![\uD800-\uDBFF])[\uDC00-\uDFFF])/.test(s) || s.includes("\uFFFD")
  );
}

/** Returns the reason a user-supplied path is unusable, or null. */
export function configPathProblem(path: unknown): string | null {
  if (typeof path !== "string") return "path must be a string";
  if (path.length > 4096) return "path is longer than 4096 characters";
  if (hasLoneSurrogate(path)) return "path is not valid UTF-8";
  return pathProblem(path);
}

/** Throws INVALID_PATH with the reason when the path is unusable. */
export function checkPath(path: string): void {
  const reason = configPathProblem(path);
  if (reason) throw new ConfigError("INVALID_PATH", `Invalid path ${JSON.stringify(path)}: ${reason}`, { reason });
}
