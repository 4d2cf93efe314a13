/**
 * Roll back to an old version (published as a new one). The answer carries the new stat and its
 * history row: both go into the query cache at once, so the list shows the new live version
 * without waiting for a refetch or a socket event (issue 13 item 5).
 */
"use client";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "../../lib/trpc.ts";
import type { HistoryItem, NodeData } from "../../lib/types.ts";
import { DiffView } from "../DiffView.tsx";
import { ConfirmDialog } from "../ConfirmDialog.tsx";
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
  const roll = useMutation(trpc.history.rollback.mutationOptions());
  const next = node.stat.version + 1;
  async function submit(message: string) {
    const res = await roll.mutateAsync({ path, toId: item.id, expectedVersion: node.stat.version, message });
    apply(path, { ...node, data: content, stat: res.stat }, res.entry);
    onClose();
  }
  return (
    <ConfirmDialog
      title={`Roll back to version ${item.version}`}
      wide
      confirm={{
        label: `Roll back as version ${next}`,
        pendingLabel: "Rolling back…",
        pending: roll.isPending,
        testId: "rollback-confirm",
      }}
      refusal="Not rolled back: "
      message={{ label: "Rollback message", initial: `Roll back to version ${item.version}` }}
      onConfirm={submit}
      onClose={onClose}
    >
      <p>
        Publishes the content of version {item.version} as a new version {next}. History is kept; nothing is rewritten.
      </p>
      <DiffView
        before={node.data}
        after={content}
        leftLabel={`live · version ${node.stat.version}`}
        rightLabel={`after rollback (= version ${item.version})`}
        testId="rollback-diff"
      />
    </ConfirmDialog>
  );
}
