/**
 * Helpers shared by the storage tests (and the engine's crash/torn-tail suites): throwaway
 * data dirs and deterministic payloads whose content is a function of the zxid, so any
 * misplaced or mangled record shows up as a mismatch.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export async function tempDir(label: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `conifer-${label}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Payload for a zxid: varied length (0..~100 bytes) so frames do not all line up. */
export function payloadFor(zxid: bigint, salt = ""): Uint8Array {
  const n = Number(zxid % 97n);
  return Buffer.from(`${salt}#${zxid}:` + "x".repeat(n));
}

export function zxids(records: { zxid: bigint }[]): number[] {
  return records.map((r) => Number(r.zxid));
}

export function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

/** Log segment names in the dir, oldest first. */
export async function logFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => n.startsWith("log."));
  return names.sort((a, b) => (BigInt("0x" + a.slice(4)) < BigInt("0x" + b.slice(4)) ? -1 : 1));
}

export async function snapshotFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => n.startsWith("snapshot."));
  return names.sort((a, b) => (BigInt("0x" + a.slice(9)) < BigInt("0x" + b.slice(9)) ? -1 : 1));
}
