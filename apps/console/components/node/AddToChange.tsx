/**
 * "Add to a change" (issue 14), from the review step and the create / delete dialogs: the
 * update, create or delete goes into a new change request with a title, or into one of the
 * user's own open drafts, instead of going live. A draft keeps the live version the item started
 * from, so a key that moves meanwhile shows as a conflict at publish time rather than being
 * overwritten.
 */
"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { errorMessage } from "../../lib/errors.ts";
import { useMe } from "../../lib/me.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { CommentBox } from "../CommentBox.tsx";

const NEW = "new";

/** one key of a change as the editor or a dialog proposes it */
export interface ProposedItem {
  path: string;
  op: "create" | "update" | "delete";
  /** "" for a delete */
  content: string;
  /** the live version it starts from; -1 for a create */
  baseVersion: number;
}

export function AddToChange({
  item,
  message,
  disabled,
  primary = false,
  label = "Add to a change",
  onAdded,
}: {
  item: ProposedItem;
  message: string;
  disabled: boolean;
  /** the only way forward (a review policy): the primary button of its form */
  primary?: boolean;
  label?: string;
  /** the edit is safe in the change: the caller drops the local draft and says where it went */
  onAdded: (change: { id: string; title: string }) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useMe();
  const author = me.data?.name;
  const drafts = useQuery({
    ...trpc.changes.list.queryOptions({ statuses: ["draft"], ...(author ? { author } : {}) }),
    enabled: !!author,
  });
  const [target, setTarget] = useState(NEW);
  const [title, setTitle] = useState("");
  const [error, setError] = useState<string | null>(null);
  const create = useMutation(trpc.changes.create.mutationOptions());
  const edit = useMutation(trpc.changes.edit.mutationOptions());
  const pending = create.isPending || edit.isPending;

  async function add() {
    setError(null);
    try {
      let change;
      if (target === NEW) {
        change = await create.mutateAsync({
          title: title.trim(),
          ...(message.trim() ? { message: message.trim() } : {}),
          items: [item],
        });
      } else {
        const existing = drafts.data?.find((c) => c.id === target);
        if (!existing) throw new Error("That draft is no longer open");
        // edit replaces the items: keep the others, this key's earlier proposal gives way to this one
        const others = existing.items
          .filter((i) => i.path !== item.path)
          .map((i) => ({ path: i.path, op: i.op, content: i.content, baseVersion: i.baseVersion }));
        change = await edit.mutateAsync({ id: existing.id, items: [...others, item] });
      }
      void queryClient.invalidateQueries({ queryKey: trpc.changes.list.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.changes.openOn.queryKey() });
      onAdded({ id: change.id, title: change.title });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  const canAdd = !disabled && !pending && (target !== NEW || title.trim().length > 0);
  return (
    <div className="add-to-change" data-testid="add-to-change">
      <select
        className="input"
        aria-label="Change to add this edit to"
        value={target}
        onChange={(e) => setTarget(e.target.value)}
      >
        <option value={NEW}>New change…</option>
        {(drafts.data ?? []).map((c) => (
          <option key={c.id} value={c.id}>
            #{c.id} {c.title} ({c.items.length} key{c.items.length === 1 ? "" : "s"})
          </option>
        ))}
      </select>
      {target === NEW && (
        <CommentBox
          label="Change title"
          placeholder="Title of the new change"
          value={title}
          onChange={setTitle}
          maxLength={200}
          onEnter={() => {
            if (canAdd) void add();
          }}
        />
      )}
      <button
        type="button"
        className={primary ? "btn btn-primary" : "btn"}
        data-testid="add-to-change-button"
        disabled={!canAdd}
        onClick={() => void add()}
      >
        {pending ? "Adding…" : label}
      </button>
      {error && (
        <div className="banner banner-bad" role="alert" data-testid="add-to-change-error">
          Not added: {error}
        </div>
      )}
    </div>
  );
}

/** Where the edit went, shown in the editor once the local draft is dropped. */
export function AddedToChange({ change, onDismiss }: { change: { id: string; title: string }; onDismiss: () => void }) {
  return (
    <div className="banner banner-ok banner-row" role="status" data-testid="added-to-change">
      <span>
        Added to change{" "}
        <Link href={`/changes/${change.id}`}>
          #{change.id} “{change.title}”
        </Link>
        . Nothing is live until the change is published.
      </span>
      <button type="button" className="btn btn-small btn-ghost" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
