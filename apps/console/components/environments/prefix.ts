/** A prefix as typed into the Compare form, made into one the server takes. */

/** "payments/prod/" → "/payments/prod": the server wants absolute paths without a trailing slash */
export function normalizePrefix(raw: string): string {
  const t = raw.trim();
  if (t === "") return "";
  const abs = t.startsWith("/") ? t : `/${t}`;
  return abs.replace(/\/+$/, "") || "/";
}
