/**
 * Node data as text: config is UTF-8, but the backend stores bytes and other ZooKeeper clients
 * may write binary, so bytes that are not valid UTF-8 travel as base64 rather than mangled.
 */
import { createHash } from "node:crypto";
import type { ContentEncoding } from "@conifer/history";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** the history store's own union: a version's encoding is stored as decoded here */
export type Encoding = ContentEncoding;

export interface DecodedData {
  text: string;
  encoding: Encoding;
}

export function decodeData(data: Buffer | null | undefined): DecodedData {
  if (!data || data.length === 0) return { text: "", encoding: "utf8" };
  try {
    return { text: strictUtf8.decode(data), encoding: "utf8" };
  } catch {
    return { text: data.toString("base64"), encoding: "base64" };
  }
}

export function encodeData(text: string, encoding: Encoding = "utf8"): Buffer {
  return Buffer.from(text, encoding);
}

/** sha256 hex of the bytes, as the history store hashes content (so intents can be matched). */
export function hashBytes(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function hashText(text: string): string {
  return hashBytes(Buffer.from(text, "utf8"));
}
