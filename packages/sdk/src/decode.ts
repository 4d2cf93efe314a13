/**
 * Turns raw content into the value the application sees, by the format the server reports
 * (derived from the path's suffix) with @conifer/formats, the same parsers the server validates
 * writes with. A parse failure becomes an INVALID_CONTENT SdkError that names the path, the
 * version and the position, so the caller can keep the last good value.
 */
import { parseContent } from "@conifer/formats";
import type { ConfigSnapshot } from "@conifer/protocol";
import { SdkError } from "./errors.ts";
import type { Decoded } from "./path-tracker.ts";

type Source = Pick<ConfigSnapshot, "path" | "format" | "data" | "version" | "mzxid">;

export function decodeContent(s: Source): Decoded {
  let res: ReturnType<typeof parseContent>;
  try {
    res = parseContent(s.format, s.data);
  } catch (e) {
    // parsers promise not to throw; an SDK must not take the app down if one ever does
    res = { ok: false, error: { message: (e as Error).message, reason: (e as Error).message, line: 1, column: 1 } };
  }
  if (res.ok) return { ok: true, value: res.value };
  const { message, line, column } = res.error;
  return {
    ok: false,
    error: new SdkError("INVALID_CONTENT", `${s.path} version ${s.version} was not applied: ${message}`, {
      path: s.path,
      version: s.version,
      mzxid: s.mzxid,
      format: s.format,
      line,
      column,
    }),
  };
}
