/**
 * The promote button, kept in view at the bottom of the screen while the user ticks: it opens a
 * draft change request on the target (environments.promote) and goes to it, where the diff is
 * reviewed and submitted like any change. A refusal (a field that cannot be placed, no right on
 * a key) stays here, readable.
 */
"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "../../lib/trpc.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { promoteInput, selectedKeyCount, type Selection } from "./selection.ts";

export function PromoteBar({
  from,
  to,
  selection,
  keepOverrides,
}: {
  from: string;
  to: string;
  selection: Selection;
  keepOverrides: boolean;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const promote = useMutation(trpc.environments.promote.mutationOptions());
  const n = selectedKeyCount(selection);
  async function run() {
    const change = await promote.mutateAsync(promoteInput(selection, from, to, keepOverrides));
    await qc.invalidateQueries({ queryKey: trpc.changes.pathKey() });
    router.push(`/changes/${change.id}`);
  }
  return (
    <div className="compare-promote" data-testid="compare-promote-bar">
      <ErrorAlert error={promote.error} />
      <div className="compare-promote-row">
        <span className="muted" data-testid="compare-selected">
          {n === 0 ? "Tick keys or fields to promote." : `${n} key(s) selected: ${from} → ${to}`}
        </span>
        <button
          type="button"
          className="btn btn-primary"
          disabled={n === 0 || promote.isPending}
          // a refusal is shown through promote.error
          onClick={() => void run().catch(() => {})}
          data-testid="compare-promote"
        >
          {promote.isPending ? "Creating change request…" : "Promote as change request"}
        </button>
      </div>
    </div>
  );
}
