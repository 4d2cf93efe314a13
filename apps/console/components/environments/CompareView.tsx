/**
 * Compare screen (issue 14 item 8): two prefixes that hold the same keys, e.g.
 * /payments/staging and /payments/prod, side by side: keys on one side only, keys that differ
 * and, for structured formats, which fields differ. The prefixes are in the URL
 * (`?left=/a&right=/b`), so a comparison is a link and "back" returns to the previous one; a
 * key's line diff is too (`&diff=<key>`). Promoting is ComparisonResult's.
 */
"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../lib/trpc.ts";
import { useUrlParams } from "../../lib/urlState.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { PageHeader } from "../PageHeader.tsx";
import { ComparisonResult } from "./ComparisonResult.tsx";
import { PrefixForm } from "./PrefixForm.tsx";
import "./compare.css";

export function CompareView() {
  const trpc = useTRPC();
  const [params, setParams] = useUrlParams();
  const left = params.get("left") ?? "";
  const right = params.get("right") ?? "";
  const ready = left.startsWith("/") && right.startsWith("/");
  const q = useQuery({ ...trpc.environments.compare.queryOptions({ left, right }), enabled: ready });
  return (
    <div className="page compare-page" data-testid="compare-screen">
      <PageHeader
        title="Compare"
        description="Two environments that hold the same keys: what exists on one side only, what differs, field by field."
      />
      <PrefixForm
        left={left}
        right={right}
        onCompare={(l, r) => setParams({ left: l || null, right: r || null, diff: null })}
      />
      {!ready && (
        <div className="empty-state" data-testid="compare-empty">
          <h2>Pick two prefixes to compare</h2>
          <p>
            Type two prefixes that hold the same keys, for example <code>/payments/staging</code> on the left and{" "}
            <code>/payments/prod</code> on the right. Keys are matched by their path below each prefix, so{" "}
            <code>/payments/staging/db.yaml</code> is compared with <code>/payments/prod/db.yaml</code>.
          </p>
        </div>
      )}
      {ready && q.isPending && (
        <div className="skeleton">
          Comparing {left} and {right}…
        </div>
      )}
      {ready && <ErrorAlert error={q.error} />}
      {ready && q.data && (
        // a new pair of prefixes starts with nothing ticked
        <ComparisonResult key={`${q.data.left}\n${q.data.right}`} data={q.data} diffKey={params.get("diff")} />
      )}
    </div>
  );
}
