/**
 * JSON-safe encoding for the values the log and snapshots hold: bigints become {"$n": "123"}
 * and buffers {"$b": "<base64>"}, everything else is plain JSON. Keeps records readable when
 * debugging a data directory by hand.
 */

export function encodeValue(v: unknown): unknown {
  if (typeof v === "bigint") return { $n: v.toString() };
  if (v === null || typeof v !== "object") return v;
  if (v instanceof Uint8Array) return { $b: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") };
  if (Array.isArray(v)) return v.map(encodeValue);
  if (v instanceof Set) return { $s: [...v].map(encodeValue) };
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = encodeValue(x);
  return out;
}

export function decodeValue(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(decodeValue);
  const o = v as Record<string, unknown>;
  if (typeof o.$n === "string") return BigInt(o.$n);
  if (typeof o.$b === "string") return Buffer.from(o.$b, "base64");
  if (Array.isArray(o.$s)) return new Set(o.$s.map(decodeValue));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = decodeValue(x);
  return out;
}
