/** A path prefix in a grant or a token, checked as config paths are. */
import { ConfigError } from "../errors.ts";
import { configPathProblem } from "../paths.ts";

export function checkPrefix(prefix: string): void {
  const reason = configPathProblem(prefix);
  if (reason)
    throw new ConfigError("INVALID_PATH", `Invalid path prefix ${JSON.stringify(prefix)}: ${reason}`, { reason });
}
