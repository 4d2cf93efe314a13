/** Restore a deleted node: the server re-creates it with its last content (source "restore"). */
"use client";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "../../lib/trpc.ts";
import { ConfirmDialog } from "../ConfirmDialog.tsx";
import { useApplyWrite } from "./applyWrite.ts";

export function RestoreDialog({ path, onClose }: { path: string; onClose: () => void }) {
  const trpc = useTRPC();
  const apply = useApplyWrite();
  const restore = useMutation(trpc.history.restore.mutationOptions());
  async function submit(message: string) {
    const res = await restore.mutateAsync({ path, ...(message ? { message } : {}) });
    // the content is refetched (the answer has the stat, not the bytes); the history row is shown now
    apply(path, null, res.entry);
    onClose();
  }
  return (
    <ConfirmDialog
      title={`Restore ${path}`}
      confirm={{ label: "Restore", pendingLabel: "Restoring…", pending: restore.isPending, testId: "restore-confirm" }}
      refusal="Not restored: "
      message={{ label: "Restore message" }}
      onConfirm={submit}
      onClose={onClose}
    >
      <p>Re-creates the node with the content of its last version before the deletion, recorded as a restore.</p>
    </ConfirmDialog>
  );
}
