/**
 * "Roll back this release": confirm, with a message. The server restores every key in one multi
 * or refuses with CONFLICT naming the keys that moved since; those are listed here, each a link.
 */
"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { coniferError } from "../../lib/errors.ts";
import { nodeHref } from "../../lib/paths.ts";
import { useTRPC } from "../../lib/trpc.ts";
import type { RouterOutputs } from "../../lib/types.ts";
import { ConfirmDialog } from "../ConfirmDialog.tsx";

type Release = RouterOutputs["releases"]["get"];

/** The keys a CONFLICT refusal names, when it is a release conflict. */
function movedKeys(err: unknown): string[] {
  const c = coniferError(err);
  if (c?.code !== "CONFLICT" || !("conflicts" in c.details)) return [];
  return c.details.conflicts;
}

export function ReleaseRollbackDialog({ release, onClose }: { release: Release; onClose: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const [moved, setMoved] = useState<string[]>([]);
  const roll = useMutation(trpc.releases.rollback.mutationOptions());
  async function submit(message: string) {
    setMoved([]);
    try {
      const res = await roll.mutateAsync({ id: release.id, message });
      await qc.invalidateQueries({ queryKey: trpc.releases.pathKey() });
      onClose();
      router.push(`/releases/${res.id}`);
    } catch (err) {
      setMoved(movedKeys(err));
      throw err;
    }
  }
  return (
    <ConfirmDialog
      title={`Roll back release ${release.id}`}
      confirm={{
        label: "Roll back this release",
        pendingLabel: "Rolling back…",
        pending: roll.isPending,
        tone: "danger",
        testId: "release-rollback-confirm",
      }}
      refusal="Not rolled back: "
      message={{ label: "Rollback message", initial: `Roll back release ${release.id}` }}
      onConfirm={submit}
      onClose={onClose}
    >
      <p>
        Publishes a new release that restores all {release.items.length} key(s) of release {release.id} to the content
        they had before it, at once. Nothing is written if any of them changed since.
      </p>
      {moved.length > 0 && (
        <div className="panel-error" data-testid="release-rollback-conflicts">
          <strong>Changed since this release:</strong>
          <ul>
            {moved.map((p) => (
              <li key={p} className="mono">
                <Link href={nodeHref(p)}>{p}</Link>
              </li>
            ))}
          </ul>
        </div>
      )}
    </ConfirmDialog>
  );
}
