/**
 * whoAmI (107) in Apache ZooKeeper's order. The server keeps a connection's identities in a
 * set backed by a ConcurrentHashMap, so zkCli's `whoami` lists them in that map's iteration
 * order (bucket by bucket), not in the order they were added; this reproduces it so the same
 * session prints the same lines on both servers.
 */

/** Java's String.hashCode (UTF-16 code units) */
function javaHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** the jute-generated Id.hashCode */
function idHash(scheme: string, id: string): number {
  let result = 17;
  result = (Math.imul(37, result) + javaHash(scheme)) | 0;
  result = (Math.imul(37, result) + javaHash(id)) | 0;
  return result;
}

/** orders identities (given in insertion order) as a ConcurrentHashMap of default capacity iterates them */
export function javaSetOrder<T extends { scheme: string; id: string }>(ids: readonly T[]): T[] {
  let n = 16;
  // ConcurrentHashMap doubles its table once it is 3/4 full
  while (ids.length > (n * 3) / 4) n *= 2;
  const bucket = (t: T) => {
    const h = idHash(t.scheme, t.id);
    return (h ^ (h >>> 16)) & 0x7fffffff & (n - 1);
  };
  return ids
    .map((t, i) => ({ t, i, b: bucket(t) }))
    .sort((a, b) => a.b - b.b || a.i - b.i)
    .map((x) => x.t);
}
