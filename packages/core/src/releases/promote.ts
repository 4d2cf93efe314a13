/**
 * Promote between environments as a change request (issue 14 item 8): selected keys, or selected
 * fields of keys, taken from one prefix (e.g. /payments/staging) into the same keys under another
 * (/payments/prod). The result is a draft change on the target, every item starting from the
 * target key's live version as it was read here (so a target that moves before publish is a
 * conflict, never a silent overwrite); from there it follows the target's policy like any change.
 *
 * A whole key is created or updated on the target with the source's content; with
 * `keepTargetOverrides` a key the target already has only gains the fields it lacks (its own
 * values are per-environment overrides). Fields are promoted with @conifer/formats, which keeps
 * the target's comments and layout where the format allows. Plain text has no fields: it is
 * always taken whole. The caller needs read on the source keys and propose on the target keys.
 */
import { isWithin, joinPath } from "@conifer/coordinator";
import type { ChangeRecord } from "@conifer/history";
import { formatFieldPath, promoteFields, type FieldPath, type Format, type PromoteError } from "@conifer/formats";
import { authorize } from "../auth/authz.ts";
import type { BackendLink } from "../backend-link.ts";
import { formatOfPath } from "../dto.ts";
import { ConfigError } from "../errors.ts";
import { checkPath } from "../paths.ts";
import type { Caller } from "./caller.ts";
import type { ChangeService } from "./changes.ts";
import { MAX_CHANGE_ITEMS, readLive, type ProposedItem } from "./drafts.ts";
import { validateItems } from "./release-writer.ts";

export interface PromoteRequest {
  /** the source prefix */
  from: string;
  /** the target prefix */
  to: string;
  /** keys relative to the prefixes ("db/pool.yaml"), taken whole */
  keys?: string[];
  /** fields of keys that both prefixes hold */
  fields?: { key: string; paths: FieldPath[] }[];
  keepTargetOverrides?: boolean;
  /** default "Promote <from> → <to>" */
  title?: string;
  message?: string;
}

/** Plans the items and stores them as a draft change on the target. */
export async function promoteAsChange(
  link: BackendLink,
  changes: ChangeService,
  caller: Caller,
  req: PromoteRequest,
): Promise<ChangeRecord> {
  const items = await planPromotion(link, caller, req);
  validateItems(
    items.map((i) => ({
      path: i.path,
      op: i.op ?? "update",
      content: i.content ?? "",
      baseVersion: i.baseVersion ?? -1,
    })),
    link.maxDataBytes,
  );
  const keys = (req.keys?.length ?? 0) + (req.fields?.length ?? 0);
  const message =
    req.message ??
    `Promoted ${keys} key(s) from ${req.from}${req.keepTargetOverrides ? ", keeping the fields the target overrides" : ""}.`;
  return changes.create(caller, { title: req.title?.trim() || `Promote ${req.from} → ${req.to}`, message, items });
}

/** The change items of a promote: each names the target version it was computed from. */
export async function planPromotion(link: BackendLink, caller: Caller, req: PromoteRequest): Promise<ProposedItem[]> {
  checkPath(req.from);
  checkPath(req.to);
  if (isWithin(req.from, req.to) || isWithin(req.to, req.from))
    throw new ConfigError("INVALID_INPUT", `${req.from} and ${req.to} overlap; promote between separate prefixes`, {
      path: req.to,
    });
  const whole = req.keys ?? [];
  const partial = req.fields ?? [];
  const all = [...whole, ...partial.map((f) => f.key)];
  if (all.length === 0) throw new ConfigError("INVALID_INPUT", "Select at least one key or field to promote");
  if (all.length > MAX_CHANGE_ITEMS)
    throw new ConfigError("TOO_LARGE", `A change holds at most ${MAX_CHANGE_ITEMS} keys`, {
      size: all.length,
      limit: MAX_CHANGE_ITEMS,
    });
  if (new Set(all).size !== all.length)
    throw new ConfigError("INVALID_INPUT", "A key is selected twice (whole and by field, or twice)");
  const keep = req.keepTargetOverrides === true;
  const plan = async (key: string, paths: FieldPath[] | null): Promise<ProposedItem> => {
    const source = keyPath(req.from, key);
    const target = keyPath(req.to, key);
    authorize(caller.principal, "read", source);
    authorize(caller.principal, "read", target);
    authorize(caller.principal, "propose", target);
    const [from, to] = [await readLive(link, source), await readLive(link, target)];
    if (!from) throw new ConfigError("NOT_FOUND", `No such node: ${source}`, { path: source });
    const format = formatOfPath(target);
    if (paths === null && (!to || !keep || format === "text"))
      return { path: target, op: to ? "update" : "create", content: from.content, baseVersion: to?.version ?? -1 };
    if (!to) throw new ConfigError("NOT_FOUND", `${target} does not exist: promote the whole key`, { path: target });
    if (paths !== null && paths.length === 0)
      throw new ConfigError("INVALID_INPUT", `${key}: select at least one field`, { path: target });
    const r = promoteFields(format, {
      source: from.content,
      target: to.content,
      fields: paths ?? [[]],
      keepTargetOverrides: keep,
    });
    if (!r.ok) throw promoteError(r.error, source, target, format);
    return { path: target, op: "update", content: r.text, baseVersion: to.version };
  };
  const items: ProposedItem[] = [];
  // one key after the other: a promote is a console action, it must not flood the backend
  for (const key of whole) items.push(await plan(key, null));
  for (const f of partial) items.push(await plan(f.key, f.paths));
  return items;
}

/** The absolute path of a relative key under a prefix; a key that would leave the prefix is refused. */
function keyPath(prefix: string, key: string): string {
  const path = joinPath(prefix, key);
  if (key === "" || key.startsWith("/") || key.split("/").some((s) => s === "." || s === ".."))
    throw new ConfigError("INVALID_PATH", `${key} is not a key relative to ${prefix}`, { path });
  checkPath(path);
  return path;
}

function promoteError(e: PromoteError, source: string, target: string, format: Format): ConfigError {
  const where = e.path ? ` (${formatFieldPath(e.path, format)})` : "";
  if (e.code === "MALFORMED" && e.parse)
    return new ConfigError("INVALID_CONTENT", `${e.side === "source" ? source : target}: ${e.message}`, {
      format,
      line: e.parse.line,
      column: e.parse.column,
    });
  return new ConfigError("INVALID_INPUT", `${target}${where}: ${e.message}`, { path: target });
}
