import { describe, expect, it } from "vitest";
import { hasControlChar, stripControlChars } from "./control-chars.ts";

const code = (c: number) => String.fromCharCode(c);
// U+0000-U+001F and U+007F are controls; U+0020-U+007E and U+0080 up (C1 included) are not.
const controls = [...Array.from({ length: 0x20 }, (_, i) => code(i)), code(0x7f)];
const others = [...Array.from({ length: 0x7f - 0x20 }, (_, i) => code(0x20 + i)), code(0x80), code(0x9f), "é", "🌲"];

describe("control characters", () => {
  it("hasControlChar: C0 controls (tab and newlines included) and DEL, nothing else", () => {
    for (const c of controls) expect(hasControlChar(`a${c}b`)).toBe(true);
    for (const c of others) expect(hasControlChar(`a${c}b`)).toBe(false);
  });

  it("stripControlChars drops controls but keeps tab, LF and CR", () => {
    expect(stripControlChars(`a${controls.join("")}b`)).toBe("a\t\n\rb");
    expect(stripControlChars(others.join(""))).toBe(others.join(""));
  });
});
