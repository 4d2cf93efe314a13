/**
 * GET /api/v1/audit/export?format=csv|json&action=&author=&path=&since=&until= — every audit
 * row matching the audit screen's filters (not only the page it shows), streamed a page at a
 * time so a large log never sits in memory. Admin only, like the screen; a session cookie or an
 * API token. Each row is readable (the screen's sentence and versions) and carries the stored
 * detail too. Errors before the first byte answer as JSON; a failure mid-stream cuts the
 * download, so a truncated file is never mistaken for a complete one.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { zAuditFilter } from "@conifer/api";
import {
  authorize,
  ConfigError,
  httpError,
  readCredentials,
  toConfigError,
  type AuditEntryDTO,
  type Conifer,
} from "@conifer/core";

const CSV_COLUMNS = ["time", "actor", "action", "path", "summary", "versions", "source", "ip", "detail"] as const;

/** Quoted when needed; a cell a spreadsheet would run as a formula gets a leading quote. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const versionsText = (e: AuditEntryDTO): string =>
  e.versions.map((v) => `${v.role === "from" ? "from " : ""}v${v.version}`).join(", ");

export function csvRow(e: AuditEntryDTO): string {
  const cells = [
    new Date(e.at).toISOString(),
    e.actor,
    e.action,
    e.path ?? "",
    e.summary,
    versionsText(e),
    e.source,
    e.ip ?? "",
    e.detail ?? "",
  ];
  return cells.map(csvCell).join(",") + "\r\n";
}

function jsonRow(e: AuditEntryDTO): string {
  return JSON.stringify({
    at: new Date(e.at).toISOString(),
    actor: e.actor,
    action: e.action,
    ...(e.path !== undefined ? { path: e.path } : {}),
    summary: e.summary,
    versions: e.versions.map((v) => ({ role: v.role, version: v.version })),
    source: e.source,
    ...(e.ip !== undefined ? { ip: e.ip } : {}),
    ...(e.detail !== undefined ? { detail: e.detail } : {}),
  });
}

function readFilter(url: URL) {
  const q = url.searchParams;
  const text = (k: string) => q.get(k) || undefined;
  const ms = (k: string) => {
    const v = q.get(k);
    return v ? Number(v) : undefined;
  };
  const format = q.get("format") ?? "csv";
  if (format !== "csv" && format !== "json")
    throw new ConfigError("INVALID_INPUT", `format must be csv or json, got ${JSON.stringify(format)}`);
  const parsed = zAuditFilter.safeParse({
    path: text("path"),
    author: text("author"),
    action: text("action"),
    since: ms("since"),
    until: ms("until"),
  });
  if (!parsed.success)
    throw new ConfigError(
      "INVALID_INPUT",
      `bad filter: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`,
    );
  return { format, filter: parsed.data } as const;
}

function write(res: ServerResponse, chunk: string): Promise<void> {
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

export async function exportAudit(
  conifer: Conifer,
  req: IncomingMessage,
  url: URL,
  res: ServerResponse,
): Promise<void> {
  let pages: AsyncGenerator<AuditEntryDTO[]>;
  let first: IteratorResult<AuditEntryDTO[]>;
  let format: "csv" | "json";
  try {
    const creds = await readCredentials(conifer.auth, req.headers);
    if (!creds.principal)
      throw new ConfigError("UNAUTHENTICATED", creds.refusal ?? "Sign in, or send Authorization: Bearer <API token>");
    authorize(creds.principal, "admin");
    const parsed = readFilter(url);
    format = parsed.format;
    pages = conifer.history.exportAudit(parsed.filter);
    first = await pages.next();
  } catch (err) {
    const { status, body } = httpError(toConfigError(err));
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
    res.end(text);
    return;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  res.writeHead(200, {
    "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
    "content-disposition": `attachment; filename="conifer-audit-${stamp}.${format}"`,
    "cache-control": "no-store",
  });
  try {
    let n = 0;
    await write(res, format === "csv" ? CSV_COLUMNS.join(",") + "\r\n" : "[");
    for (let page = first; !page.done; page = await pages.next()) {
      if (res.destroyed) return;
      let chunk = "";
      for (const e of page.value) chunk += format === "csv" ? csvRow(e) : `${n++ === 0 ? "\n" : ",\n"}${jsonRow(e)}`;
      await write(res, chunk);
    }
    res.end(format === "csv" ? "" : "\n]\n");
  } catch {
    // the status is sent already: cutting the connection is the only honest signal left
    res.destroy();
  } finally {
    await pages.return(undefined);
  }
}
