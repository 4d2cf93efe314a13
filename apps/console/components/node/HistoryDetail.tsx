/** One version's content (with "compare with live" and "roll back"), or two versions side by side. */
"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useCan } from "../../lib/me.ts";
import { dateTime } from "../../lib/display.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatOf } from "@conifer/formats";
import { useTRPC } from "../../lib/trpc.ts";
import type { HistoryItem, NodeData } from "../../lib/types.ts";
import { DiffView } from "../DiffView.tsx";
import { Editor } from "./Editor.tsx";
import { RollbackDialog } from "./RollbackDialog.tsx";
import "./node.css";

export function HistoryDetail({
  path,
  node,
  older,
  newer,
  onClear,
}: {
  path: string;
  /** the live node; null when the path is deleted (nothing live to compare with or roll back) */
  node: NodeData | null;
  /** the version shown, or the older of the two compared (`newer`) */
  older: HistoryItem;
  newer: HistoryItem | undefined;
  onClear: () => void;
}) {
  const canPublish = useCan("publish", path);
  const trpc = useTRPC();
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
  const isLive = !!node && older.mzxid === node.stat.mzxid;
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
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setVsLive((x) => !x)}
            disabled={isLive || !node}
          >
            {vsLive ? "Show content" : "Compare with live"}
          </button>
          {canPublish && node && (
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
      {vsLive && node ? (
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
          format={node ? node.format : formatOf(path)}
          readOnly
          minHeight="120px"
          maxHeight="420px"
        />
      )}
      {rollback && node && (
        <RollbackDialog path={path} node={node} item={older} content={v.content} onClose={() => setRollback(false)} />
      )}
    </section>
  );
}

function label(it: HistoryItem): string {
  return `version ${it.version} · ${it.author} · ${dateTime(it.at)}`;
}
