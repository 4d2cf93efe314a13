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
import { SelectInput, TextInput, useForm } from "../FormFields.tsx";
import { InlineForm } from "../InlineForm.tsx";
import { PageHeader } from "../PageHeader.tsx";
import { Cell, StackTable, type Column } from "../StackTable.tsx";
import { ROLES, type Role, type RoleChange } from "./roles.ts";
import { UserDialogView, type UserDialog } from "./UserDialogs.tsx";
import "./screens.css";

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
  const { values: form, setValues: setForm, field } = useForm(EMPTY_FORM);
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
  const deleteUser = useMutation(trpc.users.delete.mutationOptions({ onSuccess: refresh }));
  const [grant, setGrant] = useState<Record<number, { pathPrefix: string; role: Role }>>({});
  const me = useMe().data?.name;
  const [dialog, setDialog] = useState<UserDialog | null>(null);
  const [resetDone, setResetDone] = useState<string | null>(null);
  // a change that takes away your own admin role on "/" waits for a confirmation
  const changeRole = (
    u: { id: number; username: string; roles: { pathPrefix: string; role: string }[] },
    input: RoleChange,
    after?: () => void,
  ) => {
    const losesAdmin =
      u.username === me &&
      input.pathPrefix === "/" &&
      input.role !== "admin" &&
      u.roles.some((r) => r.pathPrefix === "/" && r.role === "admin");
    if (losesAdmin)
      setDialog({
        kind: "demote",
        input,
        change: input.role === null ? "remove your admin role on /" : `replace your admin role on / with ${input.role}`,
        ...(after ? { after } : {}),
      });
    else setRole.mutate(input, { onSuccess: () => after?.() });
  };
  const error = create.error ?? setRole.error ?? setDisabled.error;
  async function runDialog(d: UserDialog, password: string) {
    if (d.kind === "demote") {
      await setRole.mutateAsync(d.input);
      d.after?.();
    } else if (d.kind === "reset") {
      await resetPassword.mutateAsync({ userId: d.user.id, password });
      setResetDone(d.user.username);
    } else await deleteUser.mutateAsync({ userId: d.user.id });
    setDialog(null);
  }
  const pending = { demote: setRole.isPending, reset: resetPassword.isPending, delete: deleteUser.isPending };
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
        submit={{ label: "Create user", pending: create.isPending, disabled: !form.username || !form.password }}
      >
        <TextInput label="New user name" placeholder="User name" {...field("username")} />
        <TextInput
          type="password"
          label="Initial password"
          placeholder="Initial password (8+)"
          {...field("password")}
        />
        <TextInput label="Path prefix" {...field("pathPrefix")} />
        <SelectInput label="Role" options={ROLES} {...field("role")} />
      </InlineForm>
      <ErrorAlert error={error} />
      <ErrorAlert error={list.error} />
      {resetDone && (
        <div className="banner banner-ok" role="status" data-testid="reset-done">
          New password set for {resetDone}: they choose their own at the next sign-in.
        </div>
      )}
      {dialog && (
        <UserDialogView
          dialog={dialog}
          pending={pending[dialog.kind]}
          onConfirm={(password) => runDialog(dialog, password)}
          onClose={() => setDialog(null)}
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
                  <TextInput
                    className="input-small"
                    label={`Prefix for ${u.username}`}
                    value={g.pathPrefix}
                    onValue={(pathPrefix) => setGrant({ ...grant, [u.id]: { ...g, pathPrefix } })}
                  />
                  <SelectInput
                    small
                    label={`Role for ${u.username}`}
                    options={ROLES}
                    value={g.role}
                    onValue={(role) => setGrant({ ...grant, [u.id]: { ...g, role } })}
                  />
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() =>
                      // the granted role then shows as a pill: the controls go back to their defaults
                      changeRole(u, { userId: u.id, ...g }, () =>
                        setGrant((prev) =>
                          Object.fromEntries(Object.entries(prev).filter(([id]) => Number(id) !== u.id)),
                        ),
                      )
                    }
                  >
                    Grant
                  </button>
                </Cell>
                <Cell className="col-actions">
                  {/* a wide screen's table cell is no flex box: the buttons get one of their own to be spaced */}
                  <div className="row-actions">
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => {
                        setResetDone(null);
                        setDialog({ kind: "reset", user: u });
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
                    <button
                      type="button"
                      className="btn btn-small btn-danger-ghost"
                      onClick={() => setDialog({ kind: "delete", user: u })}
                    >
                      Delete
                    </button>
                  </div>
                </Cell>
              </tr>
            );
          })}
        </StackTable>
      )}
    </div>
  );
}
