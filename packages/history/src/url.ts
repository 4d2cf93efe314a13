/**
 * Which database a URL names. `file:` URLs are SQLite files (the embedded default, e.g.
 * `file:/var/lib/conifer/history.db`); `postgres://` and `postgresql://` are PostgreSQL.
 */
import { isAbsolute, resolve } from "node:path";
import { HistoryError } from "./errors.ts";

export type DatabaseTarget = { provider: "sqlite"; file: string } | { provider: "postgresql"; url: string };

export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (typeof url !== "string" || url.length === 0) throw new HistoryError("INVALID_URL", "the history database URL is empty");
  if (/^postgres(ql)?:\/\//i.test(url)) return { provider: "postgresql", url };
  if (url.startsWith("file:")) {
    // Prisma-style "file:" URLs may carry ?options; the path is everything before them.
    const raw = decodeURIComponent(url.slice("file:".length).replace(/^\/\/(?=\/)/, "").split("?")[0] ?? "");
    if (raw === "" || raw === ":memory:") throw new HistoryError("INVALID_URL", `a history database needs a file, got ${JSON.stringify(url)}`);
    return { provider: "sqlite", file: isAbsolute(raw) ? raw : resolve(raw) };
  }
  throw new HistoryError("INVALID_URL", `unsupported history database URL ${JSON.stringify(redact(url))}: use file:<path> (SQLite) or postgres(ql)://...`);
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@/]*@/, "$1:***@");
}
