import { describe, expect, it } from "vitest";
import { resolveOptions } from "./options.ts";

describe("resolveOptions labels", () => {
  const url = "http://localhost:3000";

  it("defaults to no labels and keeps valid ones", () => {
    expect(resolveOptions({ url }).labels).toEqual({});
    expect(resolveOptions({ url, labels: { region: "eu-1", canary: "true" } }).labels).toEqual({
      region: "eu-1",
      canary: "true",
    });
  });

  it("rejects an invalid label at construction, naming it", () => {
    expect(() => resolveOptions({ url, labels: { "bad key": "v" } })).toThrow(/invalid `labels`.*"bad key"/);
    expect(() => resolveOptions({ url, labels: { region: "eu 1" } })).toThrow(/"eu 1"/);
    expect(() => resolveOptions({ url, labels: { n: 1 } as unknown as Record<string, string> })).toThrow(TypeError);
  });
});
