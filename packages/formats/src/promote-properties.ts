/**
 * The .properties writer of a field promote, as line edits on the target text: a changed key's
 * entry is replaced by the source's entry as written there (its escapes and continuation lines
 * verbatim), a removed key's entries are cut, a new key's entry is appended. Comments, blank
 * lines and the order of every other entry stay as they were.
 */
import { propertyEntries } from "./properties.ts";
import type { WriteInput } from "./promote.ts";

interface Splice {
  start: number;
  end: number;
  text: string;
}

export function promoteProperties(w: WriteInput): string {
  const target = propertyEntries(w.target);
  const source = propertyEntries(w.source);
  const eol = w.target.includes("\r\n") ? "\r\n" : "\n";
  /** the source's entry for a key as written (the last one: later keys win), without its line break */
  const written = (key: string): string => {
    const e = source.filter((s) => s.key === key).pop();
    return e ? w.source.slice(e.start, e.end).replace(/(\r\n|\r|\n)$/, "") : "";
  };
  const splices: Splice[] = [];
  for (const d of w.diff.differing) {
    const key = String(d.path[0]);
    const e = target.filter((t) => t.key === key).pop();
    if (!e) continue;
    const lineBreak = /(\r\n|\r|\n)$/.exec(w.target.slice(e.start, e.end))?.[0] ?? "";
    splices.push({ start: e.start, end: e.end, text: written(key) + lineBreak });
  }
  for (const d of w.diff.onlyLeft) {
    const key = String(d.path[0]);
    for (const e of target) if (e.key === key) splices.push({ start: e.start, end: e.end, text: "" });
  }
  let text = w.target;
  for (const s of splices.sort((a, b) => b.start - a.start)) text = text.slice(0, s.start) + s.text + text.slice(s.end);
  const added = w.diff.onlyRight.map((d) => written(String(d.path[0])));
  if (added.length > 0) {
    if (text !== "" && !/[\r\n]$/.test(text)) text += eol;
    text += added.join(eol) + eol;
  }
  return text;
}
