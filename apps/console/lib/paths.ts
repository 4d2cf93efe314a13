/**
 * znode path <-> console URL. The URL is the path: `/nodes/payments/prod/limits.json` shows
 * `/payments/prod/limits.json`; each segment is URI-encoded so any znode name survives.
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

export function parentOf(path: string): string {
  if (path === "/") return "/";
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

export function baseName(path: string): string {
  if (path === "/") return "/";
  return path.slice(path.lastIndexOf("/") + 1);
}

export function joinPath(parent: string, child: string): string {
  const c = child.replace(/^\/+/, "");
  return parent === "/" ? "/" + c : parent + "/" + c;
}

/** Every ancestor of a path, root first, excluding the path itself. */
export function ancestorsOf(path: string): string[] {
  const out: string[] = ["/"];
  if (path === "/") return [];
  const parts = path.split("/").filter(Boolean);
  for (let i = 1; i < parts.length; i++) out.push("/" + parts.slice(0, i).join("/"));
  return out;
}

/** The server's own bookkeeping and ZooKeeper's: shown, but marked as system. */
export function isSystemPath(path: string): boolean {
  return path === "/conifer" || path.startsWith("/conifer/") || path === "/zookeeper" || path.startsWith("/zookeeper/");
}

export type Format = "json" | "yaml" | "properties" | "toml" | "text";

/** How a format is named in the console's sentences ("✓ Valid TOML"). */
export const FORMAT_NAME: Record<Format, string> = {
  json: "JSON",
  yaml: "YAML",
  properties: ".properties",
  toml: "TOML",
  text: "text",
};

/** Same rule as the server: by file-name suffix. */
export function formatOfName(name: string): Format {
  const n = name.toLowerCase();
  if (n.endsWith(".json")) return "json";
  if (n.endsWith(".yaml") || n.endsWith(".yml")) return "yaml";
  if (n.endsWith(".properties")) return "properties";
  if (n.endsWith(".toml")) return "toml";
  return "text";
}
