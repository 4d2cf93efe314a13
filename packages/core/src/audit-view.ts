/**
 * Audit rows as people read them: one sentence per row ("Published version 4", "Gave alice the
 * role editor"), with the versions it names so the console can link to them. The stored detail
 * stays as written (free text for config actions, JSON for account actions, from every release
 * of Conifer so far) and is parsed here, not rewritten, so old rows read as well as new ones.
 * Internal ids (history entry ids, token ids) never appear in the sentence.
 */
import type { AuditEntry } from "./history-port.ts";

/** A version an audit row names: `from` is the version rolled back to or restored, `to` the one written. */
export interface AuditVersionRef {
  role: "from" | "to";
  version: number;
  /** the history entry's id, when the detail names it (links open that exact version) */
  entryId?: string;
}

export interface AuditReading {
  summary: string;
  versions: AuditVersionRef[];
}

type Json = Record<string, unknown>;

function parseJson(detail: string | undefined): Json | null {
  if (!detail?.startsWith("{")) return null;
  try {
    const v: unknown = JSON.parse(detail);
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : null;
  } catch {
    return null;
  }
}

const str = (v: unknown): string =>
  typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v);

function rolesText(v: unknown): string {
  if (!Array.isArray(v) || v.length === 0) return "no role";
  return v
    .map((r) => {
      const { role, pathPrefix } = (r ?? {}) as { role?: unknown; pathPrefix?: unknown };
      return `${str(role)} on ${str(pathPrefix)}`;
    })
    .join(", ");
}

/** Keys that are internal handles rather than something a reader recognises. */
const HIDDEN_KEYS = new Set(["id", "tokenId", "userId", "entryId", "sessionHash"]);

function genericText(json: Json): string {
  return Object.entries(json)
    .filter(([k]) => !HIDDEN_KEYS.has(k))
    .map(([k, v]) => `${k}: ${str(v)}`)
    .join(", ");
}

function configReading(action: string, detail: string | undefined): AuditReading | null {
  const d = detail ?? "";
  let m: RegExpExecArray | null;
  switch (action) {
    case "config.create":
    case "config.update": {
      m = /^version (\d+)$/.exec(d);
      const verb = action === "config.create" ? "Created" : "Published";
      if (!m) return { summary: verb, versions: [] };
      return { summary: `${verb} version ${m[1]}`, versions: [{ role: "to", version: Number(m[1]) }] };
    }
    case "config.delete":
      m = /^recursive, (\d+) node/.exec(d);
      return { summary: m ? `Deleted with everything below it (${m[1]} nodes)` : "Deleted", versions: [] };
    case "history.rollback":
      m = /^to entry (\d+) \(v(\d+)\) → v(\d+)$/.exec(d);
      if (!m) return null;
      return {
        summary: `Rolled back to version ${m[2]}, published as version ${m[3]}`,
        versions: [
          { role: "from", version: Number(m[2]), entryId: m[1] },
          { role: "to", version: Number(m[3]) },
        ],
      };
    case "history.restore":
      m = /^from entry (\d+) \(v(\d+)\)$/.exec(d);
      if (!m) return null;
      return {
        summary: `Restored version ${m[2]} after its deletion`,
        versions: [{ role: "from", version: Number(m[2]), entryId: m[1] }],
      };
    default:
      return null;
  }
}

function accountSummary(action: string, json: Json | null, detail: string | undefined): string | null {
  const user = str(json?.username);
  switch (action) {
    case "login":
      return "Signed in";
    case "logout":
      return "Signed out";
    case "login.failed":
      return `Sign-in failed${detail ? `: ${detail}` : ""}`;
    case "login.locked":
      return `Sign-in refused: too many failures (${str(json?.user)} for this user, ${str(json?.ip)} from this address)`;
    case "password.change":
      return "Changed their password";
    case "password.change.failed":
      return "Password change refused: wrong current password";
    case "user.bootstrap":
      return `Created the first admin, ${user}`;
    case "user.create":
      return `Created user ${user} (${rolesText(json?.roles)})`;
    case "user.disable":
      return `Disabled user ${user}`;
    case "user.enable":
      return `Enabled user ${user}`;
    case "user.delete":
      return `Deleted user ${user}`;
    case "password.reset":
      return `Reset the password of ${user}`;
    case "password.recover":
      return `Recovered the password of ${user} (${str(json?.via)} on ${str(json?.host)})`;
    case "role.set":
      return `Gave ${user} the role ${str(json?.role)}`;
    case "role.remove":
      return `Removed the role of ${user}`;
    case "token.create": {
      const prefixes = Array.isArray(json?.prefixes) ? json.prefixes.map(str).join(" ") : "";
      const expires = typeof json?.expiresAt === "number" ? `, expires ${new Date(json.expiresAt).toISOString()}` : "";
      return `Created API token ${str(json?.name)} (${str(json?.access)} on ${prefixes}${expires})`;
    }
    case "token.revoke":
      return `Revoked API token ${str(json?.name)}`;
    case "tokens.defaultLifetime":
      return typeof json?.days === "number"
        ? `Set the default API token lifetime to ${json.days} days`
        : "API tokens no longer expire by default";
    default:
      return null;
  }
}

export function readAudit(row: Pick<AuditEntry, "action" | "detail">): AuditReading {
  const config = configReading(row.action, row.detail);
  if (config) return config;
  const json = parseJson(row.detail);
  const account = accountSummary(row.action, json, row.detail);
  if (account) return { summary: account, versions: [] };
  return { summary: json ? genericText(json) : (row.detail ?? ""), versions: [] };
}

/**
 * Fills in the history entry of each `to` version that has none: the row of that (path,
 * version) nearest the audit row in time (a path deleted and created again reuses versions).
 */
export function linkVersions(
  rows: readonly { at: number; path?: string; versions: AuditVersionRef[] }[],
  found: readonly { id: string; path: string; version: number; at: number }[],
): void {
  for (const row of rows) {
    for (const ref of row.versions) {
      if (ref.entryId !== undefined || row.path === undefined) continue;
      let best: { id: string; at: number } | undefined;
      for (const f of found) {
        if (f.path !== row.path || f.version !== ref.version) continue;
        if (!best || Math.abs(f.at - row.at) < Math.abs(best.at - row.at)) best = f;
      }
      if (best) ref.entryId = best.id;
    }
  }
}
