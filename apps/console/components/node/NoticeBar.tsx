/** The banner that says what happened to the node while it was open (updated, published, ...). */
"use client";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { diffStats } from "../../lib/sidebyside.ts";
import { DiffView } from "../DiffView.tsx";
import type { Notice } from "./useEditSession.ts";

export function NoticeBar({ notice, onDismiss }: { notice: Notice; onDismiss: () => void }) {
  const [show, setShow] = useState(false);
  const stats = useMemo(
    () => (notice.kind === "updated" ? diffStats(notice.from.content, notice.to.content) : null),
    [notice],
  );
  useEffect(() => setShow(false), [notice]);
  let text: ReactNode;
  let tone = "banner-info";
  switch (notice.kind) {
    case "updated":
      text = (
        <>
          Updated on the server: version {notice.from.version} → <strong>version {notice.to.version}</strong>
          {stats && (
            <span className="diff-stats">
              {" "}
              <span className="plus">+{stats.added}</span> <span className="minus">−{stats.removed}</span>
            </span>
          )}
        </>
      );
      break;
    case "published":
      tone = "banner-ok";
      text = <>Published version {notice.version}. Connected apps are being notified.</>;
      break;
    case "rebased":
      tone = notice.conflicts > 0 ? "banner-warn" : "banner-ok";
      text =
        notice.conflicts > 0 ? (
          <>
            Your edit was re-applied on top of version {notice.version}, but {notice.conflicts} place(s) changed on both
            sides: resolve the marked lines, then review and publish.
          </>
        ) : (
          <>Your edit was re-applied on top of version {notice.version}. Review the result and publish.</>
        );
      break;
    case "reloaded":
      text = <>Loaded version {notice.version} from the server; your edits were discarded.</>;
      break;
  }
  return (
    <div className={`banner ${tone}`} role="status" data-testid="notice">
      <div className="banner-row">
        <span>{text}</span>
        <span className="banner-actions">
          {notice.kind === "updated" && (
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setShow((s) => !s)}>
              {show ? "Hide change" : "Show change"}
            </button>
          )}
          <button type="button" className="icon-btn" aria-label="Dismiss" onClick={onDismiss}>
            ×
          </button>
        </span>
      </div>
      {show && notice.kind === "updated" && (
        <DiffView
          before={notice.from.content}
          after={notice.to.content}
          leftLabel={`version ${notice.from.version}`}
          rightLabel={`version ${notice.to.version}`}
        />
      )}
    </div>
  );
}
