/**
 * YAML via the `yaml` package (YAML 1.2 core schema, unique keys). A config file is one
 * document: a second document is an error rather than silently dropped data. Aliases are capped
 * so a "billion laughs" document cannot exhaust the server or the browser.
 */
import { parseAllDocuments } from "yaml";
import { positionAt, stripBom } from "./position.ts";
import { failure, type ParseResult } from "./result.ts";

const MAX_ALIAS_COUNT = 1000;

export function parseYaml(input: string): ParseResult {
  const text = stripBom(input);
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true });
  if (!Array.isArray(docs) || docs.length === 0) return { ok: true, value: null }; // empty or comments only
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) return at(text, err.pos[0], err.message);
  }
  const [first, second] = docs;
  if (second) return at(text, second.range[0], "Multiple YAML documents are not supported in one config file");
  if (!first) return { ok: true, value: null }; // not reached: docs is non-empty
  try {
    return { ok: true, value: first.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // toJS failures are about aliases; point at the alias they name when we can find it.
    const alias = /: (\S+)$/.exec(message)?.[1];
    const offset = alias ? text.indexOf(`*${alias}`) : -1;
    return at(text, Math.max(offset, 0), message);
  }
}

function at(text: string, offset: number, reason: string): ParseResult {
  const { line, column } = positionAt(text, offset);
  return failure("yaml", reason, line, column);
}
