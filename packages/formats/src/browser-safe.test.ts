/**
 * This package runs in the browser (the console's live validation): its modules must not use
 * Node-only APIs. Test files are exempt (they compare against node:crypto).
 */
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dir = fileURLToPath(new URL(".", import.meta.url));
const modules = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

describe("@conifer/formats is browser-safe", () => {
  it.each(modules)("%s uses no Node-only API", (file) => {
    const code = readFileSync(dir + file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    expect(code).not.toMatch(
      /from\s+["']node:|require\(|\bBuffer\b|\bprocess\.|from\s+["'](fs|path|crypto|os|util)["']/,
    );
  });

  it("depends only on browser-compatible packages", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies).sort()).toEqual(["diff", "smol-toml", "yaml"]);
  });
});
