/**
 * Open change requests by other people on this key (issue 14: several people may draft the same
 * keys), so an editor knows before publishing that someone else's draft will conflict.
 */
"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMe } from "../../lib/me.ts";
import { useTRPC } from "../../lib/trpc.ts";

export function OpenChanges({ path }: { path: string }) {
  const trpc = useTRPC();
  const me = useMe();
  const open = useQuery({ ...trpc.changes.openOn.queryOptions({ paths: [path] }), refetchInterval: 15_000 });
  const others = (open.data ?? []).filter((c) => c.author !== me.data?.name);
  if (others.length === 0) return null;
  return (
    <div className="banner banner-warn" role="status" data-testid="open-changes">
      Open changes by others on this key:{" "}
      {others.map((c, i) => (
        <span key={c.id}>
          {i > 0 && ", "}
          <Link href={`/changes/${c.id}`}>
            #{c.id} “{c.title}”
          </Link>{" "}
          by {c.author} ({c.status.replace("_", " ")})
        </span>
      ))}
    </div>
  );
}
