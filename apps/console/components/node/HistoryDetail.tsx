/** One version's content (with "compare with live" and "roll back"), or two versions side by side. */
"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useCan } from "../../lib/me.ts";
import { dateTime } from "../../lib/display.ts";
import { errorMessage } from "../../lib/errors.ts";
import { useTRPC } from "../../lib/trpc.ts";
import type { HistoryItem, NodeData } from "../../lib/types.ts";
import { DiffView } from "../DiffView.tsx";
import { FormDialog, MessageField } from "../FormDialog.tsx";
import { Editor } from "./Editor.tsx";
import "./node.css";

export function HistoryDetail({
  path,
  node,
  chosen,
  onClear,
}: {
  path: string;
  node: NodeData;
  // the caller keeps at most two selected entries, never none
  chosen: readonly [HistoryItem] | readonly [HistoryItem, HistoryItem];
  onClear: () => void;
}) {
  const canPublish = useCan("publish", path);
  const trpc = useTRPC();
  const [first, second] = chosen;
  const [older, newer] =
    second && BigInt(second.mzxid) < BigInt(first.mzxid) ? ([second, first] as const) : ([first, second] as const);
  const a = useQuery(trpc.history.get.queryOptions({ id: older.id }));
  const b = useQuery({ ...trpc.history.get.queryOptions({ id: newer?.id ?? older.id }), enabled: !!newer });
  const [vsLive, setVsLive] = useState(false);
  const [rollback, setRollback] = useState(false);

  const err = a.error ?? b.error;
  if (err)
    return (
      <div className="panel-error" role="alert">
        {errorMessage(err)}
      </div>
    );
  if (!a.data || (newer && !b.data)) return <div className="skeleton">Loading version…</div>;

  if (newer && b.data) {
    return (
      <section className="history-detail" data-testid="history-compare">
        <div className="detail-head">
          <h3>
            Version {older.version} ↔ version {newer.version}
          </h3>
          <button type="button" className="btn btn-ghost btn-small" onClick={onClear}>
            Close
          </button>
        </div>
        <DiffView
          before={a.data.content}
          after={b.data.content}
          leftLabel={label(older)}
          rightLabel={label(newer)}
          testId="history-diff"
        />
      </section>
    );
  }

  const v = a.data;
  const isLive = older.mzxid === node.stat.mzxid;
  return (
    <section className="history-detail" data-testid="history-version">
      <div className="detail-head">
        <h3>
          Version {older.version}{" "}
          <span className="muted small">
            · {older.author} · {dateTime(older.at)}
          </span>
        </h3>
        <div className="detail-actions">
          <button type="button" className="btn btn-small" onClick={() => setVsLive((x) => !x)} disabled={isLive}>
            {vsLive ? "Show content" : "Compare with live"}
          </button>
          {canPublish && (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setRollback(true)}
              disabled={isLive || older.op === "delete"}
              title={isLive ? "This is the live version" : undefined}
            >
              Roll back to this version…
            </button>
          )}
          <button type="button" className="btn btn-ghost btn-small" onClick={onClear}>
            Close
          </button>
        </div>
      </div>
      {older.message && <p className="history-message">“{older.message}”</p>}
      {vsLive ? (
        <DiffView
          before={v.content}
          after={node.data}
          leftLabel={label(older)}
          rightLabel={`live · version ${node.stat.version}`}
          testId="history-diff"
        />
      ) : (
        <Editor
          label={`Version ${older.version} of ${path}`}
          value={v.content}
          format={node.format}
          readOnly
          minHeight="120px"
          maxHeight="420px"
        />
      )}
      {rollback && (
        <RollbackDialog path={path} node={node} item={older} content={v.content} onClose={() => setRollback(false)} />
      )}
    </section>
  );
}

function label(it: HistoryItem): string {
  return `version ${it.version} · ${it.author} · ${dateTime(it.at)}`;
}

function RollbackDialog({
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
  const queryClient = useQueryClient();
  const [message, setMessage] = useState(`Roll back to version ${item.version}`);
  const roll = useMutation(trpc.history.rollback.mutationOptions());
  async function submit() {
    await roll.mutateAsync({
      path,
      toId: item.id,
      expectedVersion: node.stat.version,
      message: message.trim() || `Roll back to version ${item.version}`,
    });
    void queryClient.invalidateQueries({ queryKey: trpc.config.get.queryKey({ path }) });
    void queryClient.invalidateQueries({ queryKey: trpc.history.list.queryKey({ path }) });
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
