/**
 * The API token lifetime choices: the options of the "Expires" selector on the new-token form,
 * and the admin's default lifetime for new tokens (kept by the server in its database, so every
 * admin and server process sees the same one).
 */
"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "../../lib/trpc.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import type { Bound } from "../FormFields.tsx";

export const LIFETIMES: readonly { days: number; label: string }[] = [
  { days: 7, label: "7 days" },
  { days: 30, label: "30 days" },
  { days: 90, label: "90 days" },
  { days: 365, label: "1 year" },
];

const labelOf = (days: number | null) =>
  days === null ? "never" : (LIFETIMES.find((l) => l.days === days)?.label ?? `${days} days`);

/** "default" | "never" | a number of days, as the form's select holds it. */
export type LifetimeChoice = string;

export function lifetimeInput(choice: LifetimeChoice): { expiresInDays?: number | null } {
  if (choice === "default") return {};
  if (choice === "never") return { expiresInDays: null };
  return { expiresInDays: Number(choice) };
}

export function ExpirySelect({ value, onValue }: Bound<LifetimeChoice>) {
  const trpc = useTRPC();
  const settings = useQuery(trpc.tokens.settings.queryOptions());
  const dflt = settings.data?.defaultLifetimeDays ?? null;
  return (
    <select className="input" aria-label="Expires" value={value} onChange={(e) => onValue(e.target.value)}>
      <option value="default">expires: default ({labelOf(dflt)})</option>
      {LIFETIMES.map((l) => (
        <option key={l.days} value={String(l.days)}>
          expires in {l.label}
        </option>
      ))}
      <option value="never">never expires</option>
    </select>
  );
}

export function DefaultLifetime() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const settings = useQuery(trpc.tokens.settings.queryOptions());
  const save = useMutation(
    trpc.tokens.setDefaultLifetime.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.tokens.settings.queryKey() }),
    }),
  );
  const current = settings.data?.defaultLifetimeDays;
  return (
    <div className="token-lifetime" data-testid="default-lifetime">
      <label>
        <span>Default lifetime of new tokens</span>{" "}
        <select
          className="input input-small"
          aria-label="Default lifetime of new tokens"
          value={current === undefined ? "" : current === null ? "never" : String(current)}
          disabled={current === undefined || save.isPending}
          onChange={(e) => save.mutate({ days: e.target.value === "never" ? null : Number(e.target.value) })}
        >
          {current === undefined && <option value="">…</option>}
          <option value="never">never expire</option>
          {LIFETIMES.map((l) => (
            <option key={l.days} value={String(l.days)}>
              {l.label}
            </option>
          ))}
          {typeof current === "number" && !LIFETIMES.some((l) => l.days === current) && (
            <option value={String(current)}>{current} days</option>
          )}
        </select>
      </label>
      <ErrorAlert error={save.error ?? settings.error} />
    </div>
  );
}
