/** One entry point for validating/parsing config content by format. Browser-safe. */
import type { Format } from "./format.ts";
import { parseJson } from "./json.ts";
import { parseProperties } from "./properties.ts";
import type { ParseResult } from "./result.ts";
import { parseToml } from "./toml.ts";
import { parseYaml } from "./yaml.ts";

/**
 * Parses `text` as `format`. Values: JSON/YAML any JSON-like value, TOML a table (object),
 * properties a flat Record<string, string>, text the string itself. Never throws for bad input.
 */
export function parseContent(format: Format, text: string): ParseResult {
  switch (format) {
    case "json":
      return parseJson(text);
    case "yaml":
      return parseYaml(text);
    case "toml":
      return parseToml(text);
    case "properties":
      return parseProperties(text);
    case "text":
      return { ok: true, value: text };
  }
}
