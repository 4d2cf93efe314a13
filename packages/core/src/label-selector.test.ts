import { describe, expect, it } from "vitest";
import { ConfigError } from "./errors.ts";
import { matches, parseSelector } from "./label-selector.ts";

function rejects(text: string): ConfigError {
  try {
    parseSelector(text);
  } catch (err) {
    expect(ConfigError.is(err, "INVALID_INPUT")).toBe(true);
    return err as ConfigError;
  }
  throw new Error(`accepted ${JSON.stringify(text)}`);
}

describe("parseSelector", () => {
  it("parses every operator", () => {
    expect(parseSelector("a=b,c!=d,key,!gone,e==f").terms).toEqual([
      { op: "eq", key: "a", value: "b" },
      { op: "neq", key: "c", value: "d" },
      { op: "exists", key: "key" },
      { op: "absent", key: "gone" },
      { op: "eq", key: "e", value: "f" },
    ]);
  });

  it("tolerates whitespace around commas and operators", () => {
    expect(parseSelector("  a = b ,  ! c , d!=  ").terms).toEqual([
      { op: "eq", key: "a", value: "b" },
      { op: "absent", key: "c" },
      { op: "neq", key: "d", value: "" },
    ]);
  });

  it("accepts prefixed keys and empty values", () => {
    expect(parseSelector("conifer.io/tier=gold,x=").terms).toEqual([
      { op: "eq", key: "conifer.io/tier", value: "gold" },
      { op: "eq", key: "x", value: "" },
    ]);
  });

  it("treats an empty selector as matching everything", () => {
    expect(parseSelector("").terms).toEqual([]);
    expect(parseSelector("   ").terms).toEqual([]);
  });

  it("rejects bad syntax, naming the term and its position", () => {
    expect(rejects("a=b,,c").message).toMatch(/empty term.*position 4/);
    expect(rejects("a=b,").message).toMatch(/empty term.*position 4/);
    expect(rejects("a=b, =c").message).toMatch(/missing label key.*"=c".*position 5/);
    expect(rejects("a=b=c").message).toContain("more than one operator");
    expect(rejects("a!=!b").message).toContain("more than one operator");
    expect(rejects("!").message).toContain("missing label key");
    expect(rejects("bad key=v").message).toContain('"bad key"');
    expect(rejects("k=bad value").message).toContain('"bad value"');
    expect(rejects("!!a").message).toContain("!a");
    expect(rejects("a in (b)").message).toContain("position 0");
    expect(rejects("x".repeat(5000)).message).toContain("longer than");
  });

  it("says where in the input it failed", () => {
    expect(rejects("a=b,c d").details).toEqual({
      issues: [{ path: ["selector"], message: expect.stringContaining("position 4") as string }],
    });
  });
});

describe("matches", () => {
  const eu = { region: "eu-1", canary: "true" };
  const us = { region: "us-1", canary: "false" };
  const bare = {};
  const pick = (s: string) =>
    Object.entries({ eu, us, bare })
      .filter(([, l]) => matches(parseSelector(s), l))
      .map(([n]) => n);

  it("applies each operator", () => {
    expect(pick("region=eu-1")).toEqual(["eu"]);
    expect(pick("region==us-1")).toEqual(["us"]);
    expect(pick("canary!=true")).toEqual(["us", "bare"]);
    expect(pick("canary")).toEqual(["eu", "us"]);
    expect(pick("!canary")).toEqual(["bare"]);
    expect(pick("")).toEqual(["eu", "us", "bare"]);
  });

  it("ANDs terms", () => {
    expect(pick("region=eu-1,canary=false")).toEqual([]);
    expect(pick("region,canary!=true")).toEqual(["us"]);
  });

  it("distinguishes an empty value from a missing label", () => {
    expect(matches(parseSelector("x="), { x: "" })).toBe(true);
    expect(matches(parseSelector("x="), {})).toBe(false);
    expect(matches(parseSelector("x"), { x: "" })).toBe(true);
  });

  it("does not see inherited properties as labels", () => {
    expect(matches(parseSelector("toString"), {})).toBe(false);
    expect(matches(parseSelector("!constructor"), {})).toBe(true);
  });

  it("treats missing labels as none", () => {
    expect(matches(parseSelector("!a"))).toBe(true);
  });
});
