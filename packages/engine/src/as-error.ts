/** What was thrown, as an Error: rejections carry Errors, so every caller can read message and stack. */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** A field of an unchecked request as the text it will be encoded as ("" when absent or not a scalar). */
export function asText(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
  return "";
}
