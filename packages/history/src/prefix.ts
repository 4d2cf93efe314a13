/**
 * Segment-wise path prefixes ("/a" covers "/a" and "/a/b", never "/ab"). The database filter is a
 * superset (LIKE is case-insensitive on SQLite and Prisma's startsWith may treat "_" and "%" as
 * wildcards); `coversPath` then keeps exactly the rows that belong, in plain string comparison.
 */

export function coversPath(prefix: string, path: string | null): boolean {
  if (path === null) return false;
  if (prefix === "/") return path.startsWith("/");
  const base = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  return path === base || path.startsWith(base + "/");
}

/** A where-fragment (for any model with a `path` column) selecting a superset of `coversPath`. */
export function prefixWhere(
  prefix: string,
): { path: { startsWith: string } } | { OR: [{ path: string }, { path: { startsWith: string } }] } {
  if (prefix === "/") return { path: { startsWith: "/" } };
  const base = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  return { OR: [{ path: base }, { path: { startsWith: base + "/" } }] };
}
