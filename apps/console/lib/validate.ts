/**
 * Live validation in the browser with the same parser the server uses (@conifer/formats), so
 * the editor shows exactly the error the server would refuse the content with.
 */
import { parseContent, type Format } from "@conifer/formats";
import { hasConflictMarkers } from "./linediff.ts";

export type Validation = { ok: true } | { ok: false; message: string; line: number | null; column: number | null };

export function validate(format: Format, text: string): Validation {
  if (hasConflictMarkers(text)) {
    const line = text.split("\n").findIndex((l) => l.startsWith("<<<<<<< ")) + 1;
    return {
      ok: false,
      message: "Unresolved merge markers: keep the lines you want and remove the <<<<<<< / ======= / >>>>>>> lines.",
      line: line || null,
      column: 1,
    };
  }
  const r = parseContent(format, text);
  if (r.ok) return { ok: true };
  // the parser's full sentence ("Invalid JSON at line 3, column 7: …"), as the server words it
  return { ok: false, message: r.error.message, line: r.error.line, column: r.error.column };
}
