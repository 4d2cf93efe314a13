/**
 * What the console bundles from the workspace must run in a browser: the modules of
 * @conifer/formats, @conifer/shared and @conifer/protocol, and the path rules of
 * @conifer/coordinator (its `./paths` entry), must not use Node-only APIs, and those packages
 * depend only on browser-compatible packages. Test files are exempt.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const packages = fileURLToPath(new URL("../../../packages/", import.meta.url));
const sourcesOf = (pkg: string) =>
  readdirSync(join(packages, pkg, "src"))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => `${pkg}/src/${f}`);
const modules = [
  ...sourcesOf("formats"),
  ...sourcesOf("shared"),
  ...sourcesOf("protocol"),
  "coordinator/src/paths.ts",
  "coordinator/src/errors.ts",
];

describe("what the console bundles is browser-safe", () => {
  it.each(modules)("%s uses no Node-only API", (file) => {
    const code = readFileSync(join(packages, file), "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    expect(code).not.toMatch(
      /from\s+["']node:|require\(|\bBuffer\b|\bprocess\.|from\s+["'](fs|path|crypto|os|util)["']/,
    );
  });

  it.each([
    ["formats", ["diff", "smol-toml", "yaml"]],
    ["shared", ["@conifer/coordinator"]],
    ["protocol", ["zod"]],
  ])("@conifer/%s depends only on browser-compatible packages", (pkg, deps) => {
    const json = JSON.parse(readFileSync(join(packages, pkg, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(json.dependencies).sort()).toEqual(deps);
  });
});
