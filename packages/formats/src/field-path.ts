/**
 * Field paths inside a structured config document: segments (object keys as strings, array
 * indexes as numbers) and their display form, `db.pool.max`, `servers[0].host`, with keys that
 * would read ambiguously quoted (`labels["app.kubernetes.io/name"]`). A .properties file is flat:
 * its one segment is the whole key, shown as written (`spring.datasource.url`), since that is how
 * its users name it. The display form parses back to the same segments.
 */
import type { Format } from "./format.ts";

export type FieldPath = readonly (string | number)[];

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

export function formatFieldPath(path: FieldPath, format: Format): string {
  if (format === "properties") return path.map(String).join("");
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** The segments of a display path; null when it is not one (an unclosed bracket, a stray dot). */
export function parseFieldPath(text: string, format: Format): FieldPath | null {
  if (format === "properties") return text === "" ? [] : [text];
  const out: (string | number)[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === "[") {
      const index = /^\[(0|[1-9]\d*)\]/.exec(text.slice(i));
      if (index?.[1] !== undefined) {
        out.push(Number(index[1]));
        i += index[0].length;
        continue;
      }
      const quoted = /^\["(?:[^"\\]|\\.)*"\]/.exec(text.slice(i));
      if (!quoted) return null;
      try {
        out.push(JSON.parse(quoted[0].slice(1, -1)) as string);
      } catch {
        return null;
      }
      i += quoted[0].length;
      continue;
    }
    if (out.length > 0) {
      if (text[i] !== ".") return null;
      i++;
    }
    const key = /^[A-Za-z_$][\w$-]*/.exec(text.slice(i));
    if (!key) return null;
    out.push(key[0]);
    i += key[0].length;
  }
  return out;
}
