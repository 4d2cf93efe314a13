/**
 * Delete with confirmation. A node with children is refused unless the user explicitly asks to
 * delete the whole subtree; the expected version guards against deleting something that moved.
 */
"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { errorMessage } from "../../lib/errors.ts";
import { nodeHref, parentOf } from "../../lib/paths.ts";
import { useTRPC } from "../../lib/trpc.ts";
import type { StatData } from "../../lib/types.ts";
import { Modal } from "../Modal.tsx";

export function DeleteDialog({ path, stat, onClose }: { path: string; stat: StatData; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [recursive, setRecursive] = useState(false);
  const [message, setMessage] = useState("");
  const [error, setError] = useState<string | null>(null);
  const del = useMutation(trpc.config.delete.mutationOptions());
  const hasChildren = stat.numChildren > 0;
  const blocked = hasChildren && !recursive;

  async function submit() {
    setError(null);
    try {
      await del.mutateAsync({ path, expectedVersion: stat.version, recursive, ...(message.trim() ? { message: message.trim() } : {}) });
      onClose();
      router.push(nodeHref(parentOf(path)));
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <Modal title="Delete node" onClose={onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p>
          Delete <code>{path}</code> (version {stat.version})? Apps watching it will see it disappear. Its history is kept.
        </p>
        {hasChildren && (
          <div className="banner banner-warn">
            <p>
              This node has <strong>{stat.numChildren} {stat.numChildren === 1 ? "child" : "children"}</strong>. It can only be deleted together with everything below it.
            </p>
            <label className="check">
              <input type="checkbox" checked={recursive} onChange={(e) => setRecursive(e.target.checked)} /> Delete the whole subtree
            </label>
          </div>
        )}
        <label className="field">
          <span>Message</span>
          <input className="input" value={message} onChange={(e) => setMessage(e.target.value)} placeholder="Why (recorded in history and the audit log)" aria-label="Delete message" />
        </label>
        {error && (
          <div className="banner banner-bad" role="alert">
            {error}
          </div>
        )}
        <div className="modal-actions">
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-danger" disabled={blocked || del.isPending} title={blocked ? "Tick “Delete the whole subtree” to delete a node with children" : undefined}>
            {del.isPending ? "Deleting…" : recursive ? "Delete subtree" : "Delete"}
          </button>
        </div>
      </form>
    </Modal>
  );
}
