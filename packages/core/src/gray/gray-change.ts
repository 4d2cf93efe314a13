/**
 * A gray release started from a change request (gray-service.ts `start({ changeId })`): the change
 * must be publishable by the caller right now (approved, approvals met, publish rights on every
 * key, as publishing it), and of updates only, since a gray serves other content for keys that
 * exist. Its promote is that change's publish: the change ends `published` with the release.
 */
import type { ChangeRecord, ReleaseStore } from "@conifer/history";
import { ConfigError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { Caller } from "../releases/caller.ts";
import type { ChangeService } from "../releases/changes.ts";

export async function approvedChange(changes: ChangeService, caller: Caller, id: string): Promise<ChangeRecord> {
  const change = await changes.load(caller, id, "publish");
  if (change.status !== "approved")
    throw new ConfigError("CONFLICT", `Change ${id} is ${change.status}, not approved: it cannot go gray`, {
      conflicts: [],
      changeId: id,
    });
  const state = await changes.approvals(change);
  if (!state.met)
    throw new ConfigError("FORBIDDEN", `Change ${id} has ${state.approvers.length} of ${state.required} approval(s)`, {
      action: "publish",
    });
  const other = change.items.find((i) => i.op !== "update");
  if (other)
    throw new ConfigError("INVALID_INPUT", `${other.path}: a gray release changes existing keys (no ${other.op})`, {
      path: other.path,
    });
  return change;
}

/** Best effort once the promote is live: the keys changed whatever the change's record says. */
export async function markPublished(
  d: { store: ReleaseStore; changes: ChangeService; log: Logger },
  changeId: string,
  releaseId: string,
): Promise<void> {
  try {
    // only while still approved: a change edited since (a new revision) is not what went live
    if (await d.store.transition(changeId, { from: ["approved"], to: "published", set: { releaseId } }))
      await d.changes.announce(changeId, "publish");
  } catch (err) {
    d.log.error(`change ${changeId} promoted by release ${releaseId} but not marked published`, err);
  }
}
