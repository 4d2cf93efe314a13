/** A differing key's two contents side by side, line by line (read when opened, live like any node). */
"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../lib/trpc.ts";
import { DiffView } from "../DiffView.tsx";
import { ErrorAlert } from "../ErrorAlert.tsx";
import "../DiffView.css";

export function LineDiff({ left, right }: { left: string; right: string }) {
  const trpc = useTRPC();
  const l = useQuery(trpc.config.get.queryOptions({ path: left }));
  const r = useQuery(trpc.config.get.queryOptions({ path: right }));
  if (l.error || r.error) return <ErrorAlert error={l.error ?? r.error} />;
  if (!l.data || !r.data) return <div className="skeleton">Loading both versions…</div>;
  return (
    <DiffView
      before={l.data.data}
      after={r.data.data}
      leftLabel={
        <>
          <span className="mono">{left}</span> · v{l.data.stat.version}
        </>
      }
      rightLabel={
        <>
          <span className="mono">{right}</span> · v{r.data.stat.version}
        </>
      }
      testId="compare-line-diff-view"
    />
  );
}
