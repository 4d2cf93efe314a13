/**
 * Offsets ↔ 1-based line/column. Columns count UTF-16 code units, as browser editors and the
 * parsers we wrap do. Line breaks are "\n", "\r\n" and a lone "\r".
 */

export interface Position {
  line: number;
  column: number;
}

export function positionAt(text: string, offset: number): Position {
  const end = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) {
      line++;
      lineStart = i + 1;
    } else if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) {
        if (i + 1 >= end) break; // offset points at the "\n" of a "\r\n": still the same line
        i++;
      }
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** Removes a leading byte-order mark; positions are then reported on the text as the user sees it. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
