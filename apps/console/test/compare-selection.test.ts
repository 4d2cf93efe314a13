/** The Compare screen's ticks and the promote request they become (components/environments/selection.ts). */
import { describe, expect, it } from "vitest";
import { normalizePrefix } from "../components/environments/prefix.ts";
import {
  EMPTY_SELECTION,
  isFieldSelected,
  promoteInput,
  selectedKeyCount,
  toggleField,
  toggleKey,
} from "../components/environments/selection.ts";
import { shortValue, valueText } from "../components/environments/values.ts";

describe("promote selection", () => {
  it("sends whole keys and fields, sorted, with their paths as arrays", () => {
    let s = toggleKey(EMPTY_SELECTION, "flags/new.properties");
    s = toggleField(s, "app.json", ["db", "pool", "max"]);
    s = toggleField(s, "app.json", ["servers", 0, "host"]);
    s = toggleField(s, "a.yaml", ["ttl"]);
    expect(selectedKeyCount(s)).toBe(3);
    expect(promoteInput(s, "/env/staging", "/env/prod", false)).toEqual({
      from: "/env/staging",
      to: "/env/prod",
      keys: ["flags/new.properties"],
      fields: [
        { key: "a.yaml", paths: [["ttl"]] },
        {
          key: "app.json",
          paths: [
            ["db", "pool", "max"],
            ["servers", 0, "host"],
          ],
        },
      ],
    });
  });

  it("a key ticked whole supersedes its field ticks, which come back when it is unticked", () => {
    let s = toggleField(EMPTY_SELECTION, "app.json", ["db", "host"]);
    s = toggleKey(s, "app.json");
    // the server refuses a key named twice
    expect(promoteInput(s, "/a", "/b", true)).toEqual({
      from: "/a",
      to: "/b",
      keys: ["app.json"],
      keepTargetOverrides: true,
    });
    expect(selectedKeyCount(s)).toBe(1);
    s = toggleKey(s, "app.json");
    expect(isFieldSelected(s, "app.json", ["db", "host"])).toBe(true);
    expect(promoteInput(s, "/a", "/b", false)).toEqual({
      from: "/a",
      to: "/b",
      fields: [{ key: "app.json", paths: [["db", "host"]] }],
    });
  });

  it("unticking the last field of a key drops the key", () => {
    const s = toggleField(toggleField(EMPTY_SELECTION, "app.json", ["n"]), "app.json", ["n"]);
    expect(selectedKeyCount(s)).toBe(0);
    expect(promoteInput(s, "/a", "/b", false)).toEqual({ from: "/a", to: "/b" });
  });
});

describe("compare display helpers", () => {
  it("normalizes typed prefixes to absolute paths without a trailing slash", () => {
    expect(normalizePrefix(" payments/prod/ ")).toBe("/payments/prod");
    expect(normalizePrefix("/payments/staging")).toBe("/payments/staging");
    expect(normalizePrefix("/")).toBe("/");
    expect(normalizePrefix("  ")).toBe("");
  });

  it("shows values JSON-like, so a string and a number differ, and cuts long ones", () => {
    expect(valueText(10)).toBe("10");
    expect(valueText("10")).toBe('"10"');
    expect(valueText(undefined)).toBe("—");
    expect(valueText({ a: [1, 2] })).toBe('{"a":[1,2]}');
    const long = shortValue("x".repeat(200));
    expect(long.text.length).toBe(80);
    expect(long.full).toBe(`"${"x".repeat(200)}"`);
  });
});
