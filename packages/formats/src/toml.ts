/**
 * TOML 1.0 via smol-toml, which reports the line and column of the first error; we keep its
 * reason and drop the code frame it appends to the message.
 */
import { parse, TomlError } from "smol-toml";
import { stripBom } from "./position.ts";
import { failure, type ParseResult } from "./result.ts";

export function parseToml(input: string): ParseResult {
  const text = stripBom(input);
  try {
    return { ok: true, value: parse(text) };
  } catch (err) {
    if (err instanceof TomlError) {
      const reason = err.message.replace(/^Invalid TOML document: /, "").split("\n\n")[0] ?? err.message;
      return failure("toml", capitalize(reason), err.line, err.column);
    }
    return failure("toml", err instanceof Error ? err.message : String(err), 1, 1);
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
