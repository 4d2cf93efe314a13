/** Helpers shared by the store contract suites. */
import { createHash } from "node:crypto";
import { expect } from "vitest";
import { HistoryError, type HistoryStore, type RecordInput } from "../src/index.ts";

/** Opens a store on a fresh database (or on `url`); the suite closes it after each test. */
export type OpenStore = (url?: string) => Promise<HistoryStore>;

export const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

export function entry(path: string, mzxid: number, overrides: Partial<RecordInput> = {}): RecordInput {
  return {
    path,
    version: mzxid,
    mzxid: String(mzxid),
    czxid: "1",
    op: "update",
    content: `v${mzxid}`,
    author: "alice",
    source: "api",
    ...overrides,
  };
}

export async function expectHistoryError(promise: Promise<unknown>, code: HistoryError["code"]): Promise<void> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HistoryError);
  expect((err as HistoryError).code).toBe(code);
}

/** Every migration this repo ships, in order: what a fresh database gets applied. */
export const ALL_MIGRATIONS = [
  "0001_init",
  "0002_accounts",
  "0003_releases",
  "0004_token_expiry",
  "0005_release_parents",
  "0006_content_encoding",
];
