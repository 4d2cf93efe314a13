/**
 * Publish policies (admins): per path prefix, `direct` (a save publishes at once) or `review`
 * (publishing needs N approvals). The most specific prefix wins; a new install has direct on "/".
 */
"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { dateTime } from "../../lib/display.ts";
import { useCan } from "../../lib/me.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { SelectInput, TextInput, useForm } from "../FormFields.tsx";
import { InlineForm } from "../InlineForm.tsx";
import { PageHeader } from "../PageHeader.tsx";
import { Cell, StackTable, type Column } from "../StackTable.tsx";
import "../screens/screens.css";
import "./releases.css";

const COLUMNS: readonly Column[] = [
  { label: "Prefix" },
  { label: "Mode" },
  { label: "Approvals" },
  { label: "Updated" },
  { label: "" },
];

const EMPTY = { prefix: "", mode: "review" as "direct" | "review", approvals: "1" };
const MODES = ["review", "direct"] as const;

export function PoliciesView() {
  const isAdmin = useCan("admin");
  if (!isAdmin)
    return (
      <div className="page">
        <div className="panel-error" role="alert">
          Publish policies are managed by administrators.
        </div>
      </div>
    );
  return <Policies />;
}

function Policies() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.releases.policies.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.releases.pathKey() });
  const { values: form, setValues: setForm, field } = useForm(EMPTY);
  const set = useMutation(
    trpc.releases.setPolicy.mutationOptions({
      onSuccess: () => {
        setForm(EMPTY);
        return refresh();
      },
    }),
  );
  const remove = useMutation(trpc.releases.removePolicy.mutationOptions({ onSuccess: refresh }));
  const approvals = Number(form.approvals);
  return (
    <div className="page">
      <PageHeader
        title="Publish policies"
        description="Per path prefix: direct (a save publishes at once) or review (publishing needs approvals from publishers other than the author). The most specific prefix wins."
      />
      <InlineForm
        testId="policy-form"
        label="Set a publish policy"
        onSubmit={() =>
          set.mutate({
            prefix: form.prefix.trim(),
            mode: form.mode,
            ...(form.mode === "review" ? { approvalsRequired: approvals } : {}),
          })
        }
        submit={{
          label: "Set policy",
          pending: set.isPending,
          disabled:
            !form.prefix.trim().startsWith("/") ||
            (form.mode === "review" && !(Number.isInteger(approvals) && approvals >= 1 && approvals <= 20)),
        }}
      >
        <TextInput label="Prefix" placeholder="Prefix, e.g. /payments/prod" {...field("prefix")} />
        <SelectInput label="Mode" options={MODES} {...field("mode")} />
        {form.mode === "review" && (
          <TextInput
            className="policy-approvals"
            type="number"
            min={1}
            max={20}
            label="Approvals required"
            {...field("approvals")}
          />
        )}
      </InlineForm>
      <ErrorAlert error={set.error ?? remove.error ?? list.error} />
      {list.data && (
        <StackTable testId="policies-table" columns={COLUMNS}>
          {list.data.map((p) => (
            <tr key={p.prefix} data-prefix={p.prefix}>
              <Cell label="Prefix" className="mono">
                {p.prefix}
              </Cell>
              <Cell label="Mode">
                <span className={p.mode === "review" ? "badge badge-warn" : "badge"}>{p.mode}</span>
              </Cell>
              <Cell label="Approvals">{p.mode === "review" ? p.approvalsRequired : "—"}</Cell>
              <Cell label="Updated">
                {dateTime(p.updatedAt)} by {p.updatedBy}
              </Cell>
              <Cell className="col-actions">
                <button
                  type="button"
                  className="btn btn-small btn-danger-ghost"
                  aria-label={`Remove the policy on ${p.prefix}`}
                  onClick={() => remove.mutate({ prefix: p.prefix })}
                  disabled={remove.isPending}
                >
                  Remove
                </button>
              </Cell>
            </tr>
          ))}
        </StackTable>
      )}
    </div>
  );
}
