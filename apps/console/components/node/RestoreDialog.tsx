/** Restore a deleted node: the server re-creates it with its last content (source "restore"). */
"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../lib/trpc.ts";
import { FormDialog, MessageField } from "../FormDialog.tsx";
import { useApplyWrite } from "./applyWrite.ts";

export function RestoreDialog({ path, onClose }: { path: string; onClose: () => void }) {
  const trpc = useTRPC();
  const apply = useApplyWrite();
  const [message, setMessage] = useState("");
  const restore = useMutation(trpc.history.restore.mutationOptions());
  async function submit() {
    const res = await restore.mutateAsync({ path, ...(message.trim() ? { message: message.trim() } : {}) });
    // the content is refetched (the answer has the stat, not the bytes); the history row is shown now
    apply(path, null, res.entry);
    onClose();
  }
  return (
    <FormDialog
      title={`Restore ${path}`}
      onClose={onClose}
      onSubmit={submit}
      errorPrefix="Not restored: "
      submit={{
        label: "Restore",
        pendingLabel: "Restoring…",
        pending: restore.isPending,
        testId: "restore-confirm",
      }}
    >
      <p>Re-creates the node with the content of its last version before the deletion, recorded as a restore.</p>
      <MessageField value={message} onChange={setMessage} label="Restore message" />
    </FormDialog>
  );
}
