/**
 * Live validation in the browser with the same parser the server uses (@conifer/formats), so
 * the editor shows exactly the error the server would refuse the content with.
 */
import { parseContent } from "@conifer/formats";
import type { Format } from "./paths.ts";
import { hasConflictMarkers } from "./linediff.ts";

const LABEL: Record<Format, string> = { json: "JSON", yaml: "YAML", properties: "properties", toml: "TOML", text: "text" };

export type Validation = { ok: true } | { ok: false; message: string; line: number | null; column: number | null };

export function validate(format: Format, text: string): Validation {
  if (hasConflictMarkers(text)) {
    const line = text.split("\n").findIndex((l) => l.startsWith("<<<<<<< ")) + 1;
    return { ok: false, message: "Unresolved merge markers: keep the lines you want and remove the <<<<<<< / ======= / >>>>>>> lines.", line: line || null, column: 1 };
  }
  const r = parseContent(format, text);
  if (r.ok) return { ok: true };
  const { message, line, column } = r.error;
  // worded exactly like the server's refusal (packages/core validation)
  return { ok: false, message: `Invalid ${LABEL[format]} at line ${line}, column ${column}: ${message}`, line, column };
}
