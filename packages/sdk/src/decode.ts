/**
 * Turns raw content into the value the application sees, by the format the server reports
 * (derived from the path's suffix). A parse failure becomes an INVALID_CONTENT SdkError that
 * names the version and the position, so the caller can keep the last good value.
 */
import type { ConfigSnapshot } from "@conifer/protocol";
import { SdkError } from "./errors.ts";
import type { Decoded } from "./path-tracker.ts";

type Source = Pick<ConfigSnapshot, "path" | "format" | "data" | "version" | "mzxid">;

// INTERIM until @conifer/formats lands: JSON and text only
function parse(raw: string, format: ConfigSnapshot["format"]): unknown {
  if (format === "text") return raw;
  if (format === "json") return JSON.parse(raw);
  throw new Error(`format ${format} not supported yet`);
}

export function decodeContent(s: Source): Decoded {
  try {
    return { ok: true, value: parse(s.data, s.format) };
  } catch (e) {
    const message = `${s.path} version ${s.version} is not valid ${s.format}: ${(e as Error).message}`;
    return { ok: false, error: new SdkError("INVALID_CONTENT", message, { path: s.path, version: s.version, mzxid: s.mzxid, format: s.format }) };
  }
}
