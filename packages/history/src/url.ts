/**
 * Which database a URL names. `file:` URLs are SQLite files (the embedded default, e.g.
 * `file:/var/lib/conifer/history.db`); `postgres://` and `postgresql://` are PostgreSQL, where a
 * Prisma-style `?schema=name` puts the tables in that schema instead of `public`.
 */
import { isAbsolute, resolve } from "node:path";
import { HistoryError } from "./errors.ts";

export type DatabaseTarget =
  { provider: "sqlite"; file: string } | { provider: "postgresql"; url: string; schema?: string };

export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (typeof url !== "string" || url.length === 0)
    throw new HistoryError("INVALID_URL", "the history database URL is empty");
  if (/^postgres(ql)?:\/\//i.test(url)) return postgresTarget(url);
  if (url.startsWith("file:")) {
    // Prisma-style "file:" URLs may carry ?options; the path is everything before them.
    const raw = decodeURIComponent(
      url
        .slice("file:".length)
        .replace(/^\/\/(?=\/)/, "")
        .split("?")[0] ?? "",
    );
    if (raw === "" || raw === ":memory:")
      throw new HistoryError("INVALID_URL", `a history database needs a file, got ${JSON.stringify(url)}`);
    return { provider: "sqlite", file: isAbsolute(raw) ? raw : resolve(raw) };
  }
  throw new HistoryError(
    "INVALID_URL",
    `unsupported history database URL ${JSON.stringify(redact(url))}: use file:<path> (SQLite) or postgres(ql)://...`,
  );
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@/]*@/, "$1:***@");
}

function postgresTarget(url: string): DatabaseTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HistoryError("INVALID_URL", `malformed PostgreSQL URL ${JSON.stringify(redact(url))}`);
  }
  const schema = parsed.searchParams.get("schema");
  if (schema === null) return { provider: "postgresql", url };
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema))
    throw new HistoryError("INVALID_URL", `unsupported schema name ${JSON.stringify(schema)}`);
  // `schema` is Prisma's parameter, not libpq's: the pg driver would send it to the server as a setting.
  parsed.searchParams.delete("schema");
  return { provider: "postgresql", url: parsed.toString(), schema };
}
