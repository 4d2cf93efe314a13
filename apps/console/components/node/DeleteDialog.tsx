/**
 * Delete with confirmation. A node with children is refused unless the user explicitly asks to
 * delete the whole subtree; the expected version guards against deleting something that moved.
 * A leaf's delete can instead go into a change request ("Add to a change"); under a review
 * policy that is the only way, and the direct Delete is disabled.
 */
"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { parentOf } from "@conifer/coordinator/paths";
import { nodeHref } from "../../lib/paths.ts";
import { useTRPC } from "../../lib/trpc.ts";
import type { StatData } from "../../lib/types.ts";
import { FormDialog, MessageField } from "../FormDialog.tsx";
import { CheckField } from "../FormFields.tsx";
import { AddToChange } from "./AddToChange.tsx";
import { usePolicy } from "./usePolicy.ts";
import { ReviewRequiredNote, reviewRequiredTitle } from "./ReviewRequiredNote.tsx";

export function DeleteDialog({ path, stat, onClose }: { path: string; stat: StatData; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [recursive, setRecursive] = useState(false);
  const [message, setMessage] = useState("");
  const del = useMutation(trpc.config.delete.mutationOptions());
  const hasChildren = stat.numChildren > 0;
  const blocked = hasChildren && !recursive;
  const policy = usePolicy(path);

  async function submit() {
    await del.mutateAsync({
      path,
      expectedVersion: stat.version,
      recursive,
      ...(message.trim() ? { message: message.trim() } : {}),
    });
    onClose();
    router.push(nodeHref(parentOf(path)));
  }

  return (
    <FormDialog
      title="Delete node"
      onClose={onClose}
      onSubmit={submit}
      submit={{
        label: recursive ? "Delete subtree" : "Delete",
        pendingLabel: "Deleting…",
        pending: del.isPending,
        disabled: blocked || policy.reviewed,
        title:
          reviewRequiredTitle(policy, "the delete") ??
          (blocked ? "Tick “Delete the whole subtree” to delete a node with children" : undefined),
        tone: "danger",
      }}
    >
      <p>
        Delete <code>{path}</code> (version {stat.version})? Apps watching it will see it disappear. Its history is
        kept.
      </p>
      {hasChildren && (
        <div className="banner banner-warn">
          <p>
            This node has{" "}
            <strong>
              {stat.numChildren} {stat.numChildren === 1 ? "child" : "children"}
            </strong>
            . It can only be deleted together with everything below it.
          </p>
          <CheckField checked={recursive} onChecked={setRecursive}>
            Delete the whole subtree
          </CheckField>
        </div>
      )}
      <MessageField
        value={message}
        onChange={setMessage}
        label="Delete message"
        placeholder="Why (recorded in history and the audit log)"
      />
      <ReviewRequiredNote policy={policy} what="the delete" testId="delete-policy" />
      {/* a change deletes single keys: a subtree stays a direct, explicit action */}
      {!hasChildren && (
        <AddToChange
          item={{ path, op: "delete", content: "", baseVersion: stat.version }}
          message={message}
          disabled={false}
          primary={policy.reviewed}
          onAdded={(change) => {
            onClose();
            router.push(`/changes/${change.id}`);
          }}
        />
      )}
    </FormDialog>
  );
}
