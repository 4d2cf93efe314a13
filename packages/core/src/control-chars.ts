/**
 * C0 control characters and DEL in user-supplied names and messages. Char codes rather than a
 * regex character class: the class would have to spell the control characters themselves.
 */
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f;
}

/** Whether `s` holds any C0 control character (tab and newlines included) or DEL. */
export function hasControlChar(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isControl(s.charCodeAt(i))) return true;
  return false;
}

/** `s` without its C0 control characters and DEL, except tab, LF and CR. */
export function stripControlChars(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (!isControl(code) || code === TAB || code === LF || code === CR) out += s.charAt(i);
  }
  return out;
}
