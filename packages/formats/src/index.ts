/**
 * @conifer/formats — config formats by file suffix (JSON, YAML, properties, TOML, text): parsing
 * with line/column errors and text diffs. Browser-safe: no Node-only APIs, used by
 * the server, the SDK and the console alike.
 */
export { FORMAT_LABEL, FORMATS, formatOf } from "./format.ts";
export type { Format } from "./format.ts";
export { parseContent } from "./parse.ts";
export type { ParseError, ParseResult } from "./result.ts";
export { alignLines, diffText, sideBySide, splitLines } from "./diff.ts";
export type { DiffHunk, DiffOptions, SideBySideCell, SideBySideRow, TextDiff } from "./diff.ts";
export { positionAt } from "./position.ts";
export type { Position } from "./position.ts";
export { formatFieldPath, parseFieldPath } from "./field-path.ts";
export type { FieldPath } from "./field-path.ts";
export { diffDocuments } from "./field-diff.ts";
export type { DocumentDiff, FieldChange, FieldDiff, FieldEntry } from "./field-diff.ts";
export { promoteFields } from "./promote.ts";
export type { PromoteEdit, PromoteError, PromoteErrorCode, PromoteInput, PromoteResult } from "./promote.ts";
