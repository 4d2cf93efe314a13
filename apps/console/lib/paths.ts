/**
 * znode path <-> console URL. The URL is the path: `/nodes/payments/prod/limits.json` shows
 * `/payments/prod/limits.json`; each segment is URI-encoded so any znode name survives.
 * Path arithmetic itself (parentOf, baseName, ...) is @conifer/coordinator/paths, the same code
 * the server runs; which paths are system ones is @conifer/shared's isSystemPath.
 */

export function nodeHref(path: string): string {
  if (path === "/" || path === "") return "/nodes";
  return (
    "/nodes" +
    path
      .split("/")
      .map((s) => (s ? encodeURIComponent(s) : ""))
      .join("/")
  );
}

/** Route params of `/nodes/[[...path]]` back to a znode path. */
export function pathFromSegments(segments: string[] | string | undefined): string {
  if (!segments) return "/";
  const list = Array.isArray(segments) ? segments : [segments];
  if (list.length === 0) return "/";
  return "/" + list.map((s) => safeDecode(s)).join("/");
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
