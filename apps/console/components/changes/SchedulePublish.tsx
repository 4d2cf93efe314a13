/**
 * Scheduled publish of an approved change (issue 14 item 9): a publisher on every key picks a
 * time (the browser's local time) and the servers publish it then, acting for that user; it can
 * be cancelled until it fires. A change whose content is edited loses its schedule.
 */
"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { dateTime } from "../../lib/display.ts";
import { errorMessage } from "../../lib/errors.ts";
import { useMe } from "../../lib/me.ts";
import { useTRPC } from "../../lib/trpc.ts";
import type { ChangeViewData } from "./types.ts";

const within = (path: string, prefix: string) => prefix === "/" || path === prefix || path.startsWith(prefix + "/");

/** "YYYY-MM-DDTHH:mm" in local time, as <input type="datetime-local"> holds it */
function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export function SchedulePublish({ view }: { view: ChangeViewData }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useMe();
  const { change } = view;
  const [when, setWhen] = useState(() => localInput(Date.now() + 3_600_000));
  const [error, setError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.changes.pathKey() });
  const schedule = useMutation(trpc.changes.schedule.mutationOptions({ onSettled: refresh }));
  const unschedule = useMutation(trpc.changes.unschedule.mutationOptions({ onSettled: refresh }));
  const mayPublish = change.items.every((i) => (me.data?.permissions.publish ?? []).some((p) => within(i.path, p)));
  if (change.status !== "approved" || !view.approvals.met) return null;

  async function run(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  const busy = schedule.isPending || unschedule.isPending;
  return (
    <section className="change-schedule" data-testid="change-schedule">
      {change.scheduledAt !== null ? (
        <p role="status" data-testid="change-scheduled">
          Publishes at <time dateTime={new Date(change.scheduledAt).toISOString()}>{dateTime(change.scheduledAt)}</time>
          {change.scheduledBy && <> (scheduled by {change.scheduledBy})</>}.{" "}
          {mayPublish && (
            <button
              type="button"
              className="btn btn-danger-ghost"
              data-testid="unschedule-change"
              disabled={busy}
              onClick={() => void run(() => unschedule.mutateAsync({ id: change.id }))}
            >
              Cancel the scheduled publish
            </button>
          )}
        </p>
      ) : (
        mayPublish && (
          <form
            className="change-buttons"
            onSubmit={(e) => {
              e.preventDefault();
              void run(() => schedule.mutateAsync({ id: change.id, at: new Date(when).getTime() }));
            }}
          >
            <label>
              Publish at{" "}
              <input
                className="input"
                type="datetime-local"
                data-testid="schedule-at"
                value={when}
                onChange={(e) => setWhen(e.target.value)}
                required
              />
            </label>
            <button type="submit" className="btn" data-testid="schedule-change" disabled={busy || !when}>
              Schedule publish
            </button>
          </form>
        )
      )}
      {error && (
        <div className="banner banner-bad" role="alert" data-testid="schedule-error">
          {error}
        </div>
      )}
    </section>
  );
}
