/** Unit tests of offset → line/column conversion. */
import { describe, expect, it } from "vitest";
import { positionAt, stripBom } from "./position.ts";

describe("positionAt", () => {
  it("counts 1-based lines and columns across \\n, \\r\\n and lone \\r", () => {
    const text = "ab\ncd\r\nef\rgh";
    expect(positionAt(text, 0)).toEqual({ line: 1, column: 1 });
    expect(positionAt(text, 2)).toEqual({ line: 1, column: 3 });
    expect(positionAt(text, 3)).toEqual({ line: 2, column: 1 });
    expect(positionAt(text, 5)).toEqual({ line: 2, column: 3 }); // the \r of \r\n
    expect(positionAt(text, 6)).toEqual({ line: 2, column: 4 }); // the \n of \r\n: same line
    expect(positionAt(text, 7)).toEqual({ line: 3, column: 1 });
    expect(positionAt(text, 10)).toEqual({ line: 4, column: 1 });
    expect(positionAt(text, 999)).toEqual({ line: 4, column: 3 });
  });

  it("counts columns in UTF-16 code units", () => {
    expect(positionAt("🌲x", 2)).toEqual({ line: 1, column: 3 });
  });

  it("strips only a leading BOM", () => {
    expect(stripBom("\uFEFFa\uFEFF")).toBe("a\uFEFF");
    expect(stripBom("a")).toBe("a");
  });
});
