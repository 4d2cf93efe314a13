/**
 * Roll back to an old version (published as a new one). The answer carries the new stat and its
 * history row: both go into the query cache at once, so the list shows the new live version
 * without waiting for a refetch or a socket event (issue 13 item 5).
 */
"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../lib/trpc.ts";
import type { HistoryItem, NodeData } from "../../lib/types.ts";
import { DiffView } from "../DiffView.tsx";
import { FormDialog, MessageField } from "../FormDialog.tsx";
import { useApplyWrite } from "./applyWrite.ts";

export function RollbackDialog({
  path,
  node,
  item,
  content,
  onClose,
}: {
  path: string;
  node: NodeData;
  item: HistoryItem;
  content: string;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const apply = useApplyWrite();
  const [message, setMessage] = useState(`Roll back to version ${item.version}`);
  const roll = useMutation(trpc.history.rollback.mutationOptions());
  async function submit() {
    const res = await roll.mutateAsync({
      path,
      toId: item.id,
      expectedVersion: node.stat.version,
      message: message.trim() || `Roll back to version ${item.version}`,
    });
    apply(path, { ...node, data: content, stat: res.stat }, res.entry);
    onClose();
  }
  return (
    <FormDialog
      title={`Roll back to version ${item.version}`}
      onClose={onClose}
      onSubmit={submit}
      wide
      errorPrefix="Not rolled back: "
      submit={{
        label: `Roll back as version ${node.stat.version + 1}`,
        pendingLabel: "Rolling back…",
        pending: roll.isPending,
        testId: "rollback-confirm",
      }}
    >
      <p>
        Publishes the content of version {item.version} as a new version {node.stat.version + 1}. History is kept;
        nothing is rewritten.
      </p>
      <DiffView
        before={node.data}
        after={content}
        leftLabel={`live · version ${node.stat.version}`}
        rightLabel={`after rollback (= version ${item.version})`}
        testId="rollback-diff"
      />
      <MessageField value={message} onChange={setMessage} label="Rollback message" />
    </FormDialog>
  );
}
