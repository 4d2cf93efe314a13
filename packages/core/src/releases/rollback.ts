/**
 * "Roll back this release": a NEW release restoring every key of a published release to the
 * content it had before, in one multi (an update goes back, a create is deleted, a delete is
 * re-created). Each key must still be where the release left it; when any moved since, nothing is
 * written and CONFLICT names them. Like per-key rollback it needs the publisher role on every key,
 * not a review: it is the way back from a bad release. The empty parents the release created go
 * too, in the same multi, unless something uses them since (a child, data): those stay.
 */
import type { ReleaseItemRecord, ReleaseRecord, ReleaseStore } from "@conifer/history";
import { authorize } from "../auth/authz.ts";
import { ConfigError } from "../errors.ts";
import type { Encoding } from "../content.ts";
import type { HistoryPort } from "../history-port.ts";
import type { Logger } from "../logger.ts";
import { auditAction, type Caller } from "./caller.ts";
import type { Publisher } from "./publish.ts";
import { parentItem, type MultiItem, type ReleaseWriter } from "./release-writer.ts";

type Inverted = MultiItem & { fromContent: string; fromEncoding: Encoding };

/** The item that undoes `i`; content keeps its encoding, so another client's bytes come back as bytes. */
function inverse(i: ReleaseItemRecord): Inverted {
  const at = i.toVersion ?? -1;
  const was = { content: i.fromContent, encoding: i.fromEncoding ?? "utf8" };
  const now = { fromContent: i.toContent, fromEncoding: i.toEncoding ?? "utf8" };
  if (i.op === "create") return { path: i.path, op: "delete", content: "", baseVersion: at, ...now };
  if (i.op === "delete")
    return { path: i.path, op: "create", ...was, baseVersion: -1, fromContent: "", fromEncoding: "utf8" };
  return { path: i.path, op: "update", ...was, baseVersion: at, ...now };
}

export async function rollbackRelease(
  deps: { store: ReleaseStore; history: HistoryPort; publisher: Publisher; writer: ReleaseWriter; log: Logger },
  caller: Caller,
  id: string,
  message?: string,
): Promise<ReleaseRecord> {
  const target = await deps.store.getRelease(id);
  if (!target) throw new ConfigError("NOT_FOUND", `No release ${id}`, { id });
  // parents are no keys: removing the ones the release created is part of undoing it
  const keys = target.items.filter((i) => !i.parent);
  for (const i of keys) authorize(caller.principal, "publish", i.path);
  if (target.status !== "published")
    throw new ConfigError("CONFLICT", `Release ${id} is ${target.status}: only a published release rolls back`, {
      conflicts: [],
      releaseId: id,
    });
  const inverted = keys.map(inverse);
  const created = target.items.filter((i) => i.parent && i.op === "create").map((i) => i.path);
  const deleting = inverted.filter((i) => i.op === "delete").map((i) => i.path);
  const parents = await deps.writer.emptyParents(created, deleting);
  // parents the re-created keys need are created by the multi, and recorded from the start
  const needed = await deps.writer.missingParents(inverted);
  const items = inverted.concat(
    parents.map((path) => ({
      path,
      op: "delete" as const,
      content: "",
      baseVersion: 0,
      fromContent: "",
      fromEncoding: "utf8" as const,
      parent: true,
    })),
  );
  const refuse = (keys: string[]): never => {
    throw new ConfigError(
      "CONFLICT",
      `Release ${id} was not rolled back: ${keys.length} key(s) changed since it was published: ${keys.join(", ")}`,
      { conflicts: keys, releaseId: id },
    );
  };
  // checked first so a refusal leaves no failed release behind; the multi checks again
  const moved = await deps.writer.moved(items);
  if (moved.length > 0) refuse(moved);
  const title = `Roll back release ${id}${target.title ? ` (${target.title})` : ""}`;
  const release = await deps.store.createRelease({
    changeId: null,
    title,
    message: message?.trim() || title,
    authors: [caller.actor.author],
    approvers: [],
    publishedBy: caller.actor.author,
    rollbackOf: id,
    items: items
      .map((i): ReleaseItemRecord => ({
        path: i.path,
        op: i.op,
        fromVersion: i.baseVersion,
        toVersion: null,
        fromContent: i.fromContent,
        fromEncoding: i.fromEncoding,
        toContent: i.content,
        toEncoding: i.encoding ?? "utf8",
        parent: i.parent === true,
      }))
      .concat(needed.map((path) => ({ ...parentItem({ path, op: "create" }), toVersion: null }))),
  });
  const outcome = await deps.publisher.execute(caller, release, items, release.message, {
    // like a per-key rollback, its history rows say what they are, whichever door asked
    source: "rollback",
  });
  if (!outcome.ok) refuse(outcome.conflicts);
  await auditAction(
    deps.history,
    caller,
    "release.rollback",
    keys[0]?.path,
    `release ${id} rolled back by release ${release.id}`,
    deps.log,
  );
  return outcome.ok ? outcome.release : release;
}
