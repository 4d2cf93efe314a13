/** Unit tests of the pure-TS sha256 against test vectors and node:crypto. */
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contentHash, sha256Hex } from "./sha256.ts";

const nodeSha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("sha256", () => {
  it("matches the FIPS 180-4 test vectors", () => {
    expect(contentHash("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(contentHash("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(contentHash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });

  it("hashes the UTF-8 bytes, like Node's crypto, at every padding boundary", () => {
    for (let n = 0; n < 200; n++) {
      const text = "é".repeat(n % 7) + "x".repeat(n);
      expect(contentHash(text)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
    }
    expect(contentHash("🌲 設定")).toBe(createHash("sha256").update("🌲 設定", "utf8").digest("hex"));
  });

  it("agrees with Node's crypto on random bytes and on 1 MB", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => sha256Hex(bytes) === nodeSha(bytes)),
      { numRuns: 300 },
    );
    const big = new Uint8Array(1024 * 1024 + 3).map((_, i) => (i * 31) & 0xff);
    expect(sha256Hex(big)).toBe(nodeSha(big));
  });
});
