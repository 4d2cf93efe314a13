/**
 * Users (admins): create a user with a first role, grant or remove roles per path prefix,
 * disable an account. Roles: viewer (read), editor (create/update/delete), publisher (also roll
 * back), admin (on "/" only: users, roles, tokens, audit log).
 */
"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useMe } from "../../lib/me.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { InlineForm } from "../InlineForm.tsx";
import { PageHeader } from "../PageHeader.tsx";
import { Cell, StackTable, type Column } from "../StackTable.tsx";
import { ConfirmSelfDemotionDialog, ResetPasswordDialog } from "./UserDialogs.tsx";
import "./screens.css";

const ROLES = ["viewer", "editor", "publisher", "admin"] as const;
type Role = (typeof ROLES)[number];
const asRole = (v: string): Role => ROLES.find((r) => r === v) ?? "viewer";
const EMPTY_FORM: { username: string; password: string; pathPrefix: string; role: Role } = {
  username: "",
  password: "",
  pathPrefix: "/",
  role: "viewer",
};
const COLUMNS: readonly Column[] = [{ label: "User" }, { label: "Roles" }, { label: "Grant" }, { label: "" }];

export function UsersView() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.users.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const [form, setForm] = useState(EMPTY_FORM);
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: () => {
        // the initial password must not linger in the form once the user exists
        setForm(EMPTY_FORM);
        return refresh();
      },
    }),
  );
  const setRole = useMutation(trpc.users.setRole.mutationOptions({ onSuccess: refresh }));
  const setDisabled = useMutation(trpc.users.setDisabled.mutationOptions({ onSuccess: refresh }));
  const resetPassword = useMutation(trpc.users.resetPassword.mutationOptions());
  const [grant, setGrant] = useState<Record<number, { pathPrefix: string; role: Role }>>({});
  const me = useMe().data?.name;
  // a change that takes away your own admin role on "/" waits for a confirmation
  const [demotion, setDemotion] = useState<{
    input: { userId: number; pathPrefix: string; role: Role | null };
    change: string;
    after?: () => void;
  } | null>(null);
  const [resetFor, setResetFor] = useState<{ id: number; username: string } | null>(null);
  const [resetDone, setResetDone] = useState<string | null>(null);
  const changeRole = (
    u: { id: number; username: string; roles: { pathPrefix: string; role: string }[] },
    input: { userId: number; pathPrefix: string; role: Role | null },
    after?: () => void,
  ) => {
    const losesAdmin =
      u.username === me &&
      input.pathPrefix === "/" &&
      input.role !== "admin" &&
      u.roles.some((r) => r.pathPrefix === "/" && r.role === "admin");
    if (losesAdmin)
      setDemotion({
        input,
        change: input.role === null ? "remove your admin role on /" : `replace your admin role on / with ${input.role}`,
        ...(after ? { after } : {}),
      });
    else setRole.mutate(input, { onSuccess: () => after?.() });
  };
  const error = create.error ?? setRole.error ?? setDisabled.error;
  return (
    <div className="page">
      <PageHeader
        title="Users"
        description="Viewer reads · editor creates, edits and deletes · publisher also rolls back · admin manages users, roles, tokens and reads the audit log."
      />
      <InlineForm
        testId="user-form"
        label="New user"
        onSubmit={() =>
          create.mutate({
            username: form.username,
            password: form.password,
            roles: [{ pathPrefix: form.pathPrefix, role: form.role }],
          })
        }
      >
        <input
          className="input"
          aria-label="New user name"
          placeholder="User name"
          value={form.username}
          onChange={(e) => setForm({ ...form, username: e.target.value })}
        />
        <input
          className="input"
          type="password"
          aria-label="Initial password"
          placeholder="Initial password (8+)"
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
        <input
          className="input"
          aria-label="Path prefix"
          value={form.pathPrefix}
          onChange={(e) => setForm({ ...form, pathPrefix: e.target.value })}
        />
        <RoleSelect label="Role" value={form.role} onChange={(role) => setForm({ ...form, role })} />
        <button
          type="submit"
          className="btn btn-primary"
          disabled={!form.username || !form.password || create.isPending}
        >
          Create user
        </button>
      </InlineForm>
      <ErrorAlert error={error} />
      <ErrorAlert error={list.error} />
      {resetDone && (
        <div className="banner banner-ok" role="status" data-testid="reset-done">
          New password set for {resetDone}: they choose their own at the next sign-in.
        </div>
      )}
      {demotion && (
        <ConfirmSelfDemotionDialog
          change={demotion.change}
          pending={setRole.isPending}
          onClose={() => setDemotion(null)}
          onConfirm={async () => {
            await setRole.mutateAsync(demotion.input);
            demotion.after?.();
            setDemotion(null);
          }}
        />
      )}
      {resetFor && (
        <ResetPasswordDialog
          username={resetFor.username}
          pending={resetPassword.isPending}
          onClose={() => setResetFor(null)}
          onReset={async (password) => {
            await resetPassword.mutateAsync({ userId: resetFor.id, password });
            setResetDone(resetFor.username);
            setResetFor(null);
          }}
        />
      )}
      {list.data && (
        <StackTable testId="users-table" columns={COLUMNS}>
          {list.data.map((u) => {
            const g = grant[u.id] ?? { pathPrefix: "/", role: "viewer" as Role };
            return (
              <tr key={u.id}>
                <Cell label="User">
                  {u.username}
                  {u.disabled && <span className="pill">disabled</span>}
                </Cell>
                <Cell label="Roles">
                  {u.roles.map((r) => (
                    <span key={r.pathPrefix} className="pill">
                      {r.role} on {r.pathPrefix}{" "}
                      <button
                        type="button"
                        className="link-btn"
                        aria-label={`Remove ${r.role} on ${r.pathPrefix}`}
                        onClick={() => changeRole(u, { userId: u.id, pathPrefix: r.pathPrefix, role: null })}
                      >
                        ×
                      </button>
                    </span>
                  ))}
                </Cell>
                <Cell label="Grant">
                  <input
                    className="input input-small"
                    aria-label={`Prefix for ${u.username}`}
                    value={g.pathPrefix}
                    onChange={(e) => setGrant({ ...grant, [u.id]: { ...g, pathPrefix: e.target.value } })}
                  />
                  <RoleSelect
                    small
                    label={`Role for ${u.username}`}
                    value={g.role}
                    onChange={(role) => setGrant({ ...grant, [u.id]: { ...g, role } })}
                  />
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() =>
                      // the granted role then shows as a pill: the controls go back to their defaults
                      changeRole(u, { userId: u.id, ...g }, () =>
                        setGrant((all) =>
                          Object.fromEntries(Object.entries(all).filter(([id]) => id !== String(u.id))),
                        ),
                      )
                    }
                  >
                    Grant
                  </button>
                </Cell>
                <Cell className="col-actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => {
                      setResetDone(null);
                      setResetFor({ id: u.id, username: u.username });
                    }}
                  >
                    Reset password
                  </button>
                  <button
                    type="button"
                    className="btn btn-small btn-danger-ghost"
                    onClick={() => setDisabled.mutate({ userId: u.id, disabled: !u.disabled })}
                  >
                    {u.disabled ? "Enable" : "Disable"}
                  </button>
                </Cell>
              </tr>
            );
          })}
        </StackTable>
      )}
    </div>
  );
}

function RoleSelect({
  label,
  value,
  onChange,
  small,
}: {
  label: string;
  value: Role;
  onChange: (r: Role) => void;
  small?: boolean;
}) {
  return (
    <select
      className={small ? "input input-small" : "input"}
      aria-label={label}
      value={value}
      onChange={(e) => onChange(asRole(e.target.value))}
    >
      {ROLES.map((r) => (
        <option key={r}>{r}</option>
      ))}
    </select>
  );
}
