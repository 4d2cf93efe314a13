/**
 * The checked row data of a write, as a history entry and a write intent both carry it: where
 * (path, op), what (content and its sha256), who and why (author, message, source) and the
 * release it belongs to. Every invalid field becomes a HistoryError("INVALID_ARGUMENT") here,
 * before a query is built.
 */
import { HistoryError } from "./errors.ts";
import type { ContentEncoding, IntentInput, RecordInput } from "./types.ts";
import {
  checkEncoding,
  checkHash,
  checkInt,
  checkOp,
  checkPath,
  checkSource,
  checkText,
  contentBytes,
  hashBytes,
  toDate,
  toRowId,
  toZxid,
} from "./validate.ts";

export type EntryData = {
  path: string;
  version: number;
  mzxid: bigint;
  czxid: bigint;
  op: string;
  content: string;
  encoding: string;
  contentHash: string;
  size: number;
  author: string;
  message: string;
  source: string;
  at?: Date;
  releaseId?: number | null;
};

export function entryData(input: RecordInput): EntryData {
  const { content, encoding, bytes } = checkContent(input.content, input.encoding);
  const data: EntryData = {
    path: checkPath(input.path),
    version: checkInt(input.version, "version", -1),
    mzxid: toZxid(input.mzxid, "mzxid"),
    czxid: toZxid(input.czxid, "czxid"),
    op: checkOp(input.op),
    content,
    encoding,
    contentHash: hashBytes(bytes),
    size: bytes.length,
    ...checkAttribution(input),
  };
  const at = toDate(input.at, "at");
  if (at) data.at = at;
  const releaseId = optionalRowId(input.releaseId, "release id");
  if (releaseId !== null) data.releaseId = releaseId;
  return data;
}

export function intentData(input: IntentInput) {
  let contentHash: string;
  if (input.contentHash !== undefined) contentHash = checkHash(input.contentHash);
  else if (input.content !== undefined) contentHash = hashBytes(checkContent(input.content, input.encoding).bytes);
  else throw new HistoryError("INVALID_ARGUMENT", "an intent needs its content or contentHash");
  return {
    path: checkPath(input.path),
    op: checkOp(input.op),
    expectedVersion:
      input.expectedVersion === undefined || input.expectedVersion === null
        ? null
        : checkInt(input.expectedVersion, "expectedVersion", -1),
    contentHash,
    ...checkAttribution(input),
    releaseId: optionalRowId(input.releaseId, "release id"),
  };
}

/** A version's content checked with its encoding, and the bytes it stands for. */
function checkContent(
  content: unknown,
  encoding: unknown,
): { content: string; encoding: ContentEncoding; bytes: Buffer } {
  const enc = checkEncoding(encoding);
  const text = checkText(content, "content", { allowEmpty: true });
  return { content: text, encoding: enc, bytes: contentBytes(text, enc) };
}

function checkAttribution(input: { author: unknown; message?: unknown; source: unknown }) {
  return {
    author: checkText(input.author, "author"),
    message: checkText(input.message ?? "", "message", { allowEmpty: true }),
    source: checkSource(input.source),
  };
}

/** An optional link to a row (null or absent: none). */
function optionalRowId(id: unknown, what: string): number | null {
  return id === undefined || id === null ? null : toRowId(id, what);
}
