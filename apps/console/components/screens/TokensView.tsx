/**
 * API tokens (admins): create one scoped to path prefixes, read-only or read-write, with an
 * expiry (the admin's default lifetime unless another is picked) — its secret is shown once,
 * right after creation — list them with their expiry, revoke them (live SDK connections using a
 * revoked token are dropped by the server at once, an expired one within seconds).
 */
"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { dateTime } from "../../lib/display.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { CopyButton } from "../CopyButton.tsx";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { SelectInput, TextInput, useForm } from "../FormFields.tsx";
import { InlineForm } from "../InlineForm.tsx";
import { PageHeader } from "../PageHeader.tsx";
import { Cell, StackTable, type Column } from "../StackTable.tsx";
import { DefaultLifetime, ExpirySelect, lifetimeInput } from "./TokenLifetime.tsx";
import "./screens.css";

const COLUMNS: readonly Column[] = [
  { label: "Name" },
  { label: "Prefixes" },
  { label: "Access" },
  { label: "Created" },
  { label: "Last used" },
  { label: "Expires" },
  { label: "Status" },
  { label: "" },
];

const EMPTY_FORM = { name: "", prefixes: "/", access: "read" as "read" | "read-write", expires: "default" };
const ACCESS = [
  { value: "read", label: "read-only" },
  { value: "read-write", label: "read-write" },
] as const;

function status(t: { revokedAt: number | null; expiresAt: number | null }, now: number): string {
  if (t.revokedAt) return `revoked ${dateTime(t.revokedAt)}`;
  if (t.expiresAt !== null && t.expiresAt <= now) return "expired";
  return "active";
}

export function TokensView() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.tokens.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() });
  const { values: form, setValues: setForm, field } = useForm(EMPTY_FORM);
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: () => {
        // ready for the next token (its secret is in the banner below): back to read-only, so a
        // token meant to only read is never created read-write because the last one was
        setForm((f) => ({ ...EMPTY_FORM, prefixes: f.prefixes }));
        return refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSuccess: refresh }));
  const prefixes = form.prefixes.split(/[\s,]+/).filter(Boolean);
  // when the list was read: "expired" is judged against it, so a render never flips a row alone
  const now = list.dataUpdatedAt;
  return (
    <div className="page">
      <PageHeader
        title="API tokens"
        description={
          <>
            For SDKs (<code>createClient({"{ url, token }"})</code>) and scripts (<code>Authorization: Bearer …</code>).
            Only a hash is stored: copy the token when it is shown.
          </>
        }
      />
      <InlineForm
        testId="token-form"
        label="New API token"
        onSubmit={() =>
          create.mutate({ name: form.name, prefixes, access: form.access, ...lifetimeInput(form.expires) })
        }
        submit={{
          label: "Create token",
          pending: create.isPending,
          disabled: !form.name.trim() || prefixes.length === 0,
        }}
      >
        <TextInput label="Token name" placeholder="Name, e.g. payments-service" {...field("name")} />
        <TextInput label="Path prefixes" placeholder="Path prefixes, e.g. /payments /shared" {...field("prefixes")} />
        <SelectInput label="Access" options={ACCESS} {...field("access")} />
        <ExpirySelect {...field("expires")} />
      </InlineForm>
      <DefaultLifetime />
      <ErrorAlert error={create.error} />
      {create.data && (
        <div className="banner banner-ok" role="status" data-testid="new-token">
          <p>
            Token <strong>{create.data.record.name}</strong> — copy it now, it will not be shown again:
          </p>
          <code className="secret" data-testid="new-token-secret">
            {create.data.token}
          </code>{" "}
          <CopyButton text={create.data.token} />
        </div>
      )}
      <ErrorAlert error={list.error} />
      {list.data && (
        <StackTable testId="tokens-table" columns={COLUMNS}>
          {list.data.map((t) => (
            <tr key={t.id} data-testid={`token-${t.id}`}>
              <Cell label="Name">{t.name}</Cell>
              <Cell label="Prefixes">{t.prefixes.join(" ")}</Cell>
              <Cell label="Access">{t.access}</Cell>
              <Cell label="Created">
                {dateTime(t.createdAt)} by {t.createdBy}
              </Cell>
              <Cell label="Last used">{t.lastUsedAt ? dateTime(t.lastUsedAt) : "never"}</Cell>
              <Cell label="Expires">{t.expiresAt ? dateTime(t.expiresAt) : "never"}</Cell>
              <Cell label="Status">
                <span className={status(t, now) === "expired" ? "badge badge-warn" : undefined}>{status(t, now)}</span>
              </Cell>
              <Cell className="col-actions">
                {!t.revokedAt && status(t, now) !== "expired" && (
                  <button
                    type="button"
                    className="btn btn-small btn-danger-ghost"
                    onClick={() => revoke.mutate({ id: t.id })}
                    disabled={revoke.isPending}
                  >
                    Revoke
                  </button>
                )}
              </Cell>
            </tr>
          ))}
        </StackTable>
      )}
    </div>
  );
}
