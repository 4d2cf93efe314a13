/**
 * The three-way rebase of one change item whose key moved after the draft began (issue 14), with
 * the single-key editor's conflict panel and merge: base = the version the item started from,
 * theirs = live, mine = proposed. The rebased item starts from the live version; when the merge
 * changes what would be published the server starts a new revision, so approvals start over.
 * Overlapping edits come back between conflict markers for the author to resolve before saving.
 * Only the author may edit a change, so only they are offered this.
 */
"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { formatOf } from "@conifer/formats";
import { errorMessage } from "../../lib/errors.ts";
import { merge3 } from "../../lib/linediff.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { validate } from "../../lib/validate.ts";
import { ConflictPanel } from "../node/ConflictPanel.tsx";
import { Editor } from "../node/Editor.tsx";
import type { Snapshot } from "../node/useEditSession.ts";
import type { ChangeItem, ChangeViewData } from "./types.ts";

type Live = ChangeViewData["live"][number];

/** the items of `view` as the edit procedure takes them, `path` replaced (or dropped) */
function itemsWith(view: ChangeViewData, path: string, next: ChangeItem | null) {
  return view.change.items.flatMap((i) => {
    const it = i.path === path ? next : i;
    return it ? [{ path: it.path, op: it.op, content: it.content, baseVersion: it.baseVersion }] : [];
  });
}

export function ItemRebase({ view, item, live }: { view: ChangeViewData; item: ChangeItem; live: Live }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const edit = useMutation(trpc.changes.edit.mutationOptions());
  const [resolving, setResolving] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const format = formatOf(item.path);
  const validation = useMemo(() => (resolving === null ? null : validate(format, resolving)), [format, resolving]);
  const gone = live.version < 0;
  const from: Snapshot = { content: item.baseContent, version: item.baseVersion, mzxid: "" };
  const theirs: Snapshot = { content: live.content ?? "", version: live.version, mzxid: live.mzxid };
  const mine = item.op === "delete" ? "" : item.content;

  async function save(content: string) {
    setError(null);
    // a delete stays a delete (now of the live version); a key deleted meanwhile is created again
    const op = item.op === "delete" ? "delete" : gone ? "create" : "update";
    const next: ChangeItem = { ...item, op, content: op === "delete" ? "" : content, baseVersion: live.version };
    try {
      await edit.mutateAsync({ id: view.change.id, items: itemsWith(view, item.path, next) });
      setResolving(null);
      await queryClient.invalidateQueries({ queryKey: trpc.changes.pathKey() });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  function rebase() {
    // nothing to merge into a key that is gone, or for a delete
    if (item.op === "delete" || gone) {
      void save(mine);
      return;
    }
    const merged = merge3(item.baseContent, mine, theirs.content, `version ${String(live.version)} (live)`);
    if (merged.conflicts > 0) setResolving(merged.text);
    else void save(merged.text);
  }

  const dropOnly = view.change.items.length === 1;
  return (
    <div className="item-rebase" data-testid="item-rebase">
      {resolving === null ? (
        <ConflictPanel
          path={item.path}
          from={from}
          theirs={theirs}
          draft={mine}
          onRebase={rebase}
          // a change keeps at least one key: the only one is dropped by withdrawing the change
          {...(dropOnly
            ? {}
            : {
                onDiscard: () => {
                  setError(null);
                  edit.mutateAsync({ id: view.change.id, items: itemsWith(view, item.path, null) }).then(
                    () => queryClient.invalidateQueries({ queryKey: trpc.changes.pathKey() }),
                    (err: unknown) => setError(errorMessage(err)),
                  );
                },
              })}
          discardLabel="Drop this key from the change"
          inChange
        />
      ) : (
        <div className="item-resolve" data-testid="item-resolve">
          <p className="banner banner-warn" role="status">
            Your edit and version {live.version} touch the same lines: keep the lines you want between the markers, then
            save the rebased edit.
          </p>
          <Editor
            label={`Rebased content of ${item.path}`}
            value={resolving}
            format={format}
            onChange={setResolving}
            errorLine={validation?.ok === false ? validation.line : null}
            minHeight="120px"
            maxHeight="360px"
          />
          {validation?.ok === false && (
            <p className="validation bad small" role="alert">
              ✕ {validation.message}
            </p>
          )}
          <div className="conflict-actions">
            <button type="button" className="btn btn-ghost" onClick={() => setResolving(null)}>
              Cancel
            </button>
            <button
              type="button"
              className="btn btn-primary"
              data-testid="save-rebase"
              disabled={!validation?.ok || edit.isPending}
              onClick={() => void save(resolving)}
            >
              Save the rebased edit onto version {live.version}
            </button>
          </div>
        </div>
      )}
      {error && (
        <div className="banner banner-bad" role="alert" data-testid="rebase-error">
          Not rebased: {error}
        </div>
      )}
    </div>
  );
}
