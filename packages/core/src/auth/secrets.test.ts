/** Password hashing round trip, salting, and secret digests. */
import { describe, expect, it } from "vitest";
import { digest, hashPassword, newSecret, verifyPassword } from "./secrets.ts";

describe("secrets", () => {
  it("hashes with a per-user salt and verifies in constant time", async () => {
    const a = await hashPassword("correct horse");
    const b = await hashPassword("correct horse");
    expect(a).not.toBe(b);
    expect(a.startsWith("scrypt$32768$8$1$")).toBe(true);
    expect(await verifyPassword("correct horse", a)).toBe(true);
    expect(await verifyPassword("correct horsf", a)).toBe(false);
    expect(await verifyPassword("x", "garbage")).toBe(false);
  });
  it("secrets are random and digests are stable sha256", () => {
    const s = newSecret("cnf_");
    expect(s).toMatch(/^cnf_[A-Za-z0-9_-]{43}$/);
    expect(newSecret()).not.toBe(newSecret());
    expect(digest("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
