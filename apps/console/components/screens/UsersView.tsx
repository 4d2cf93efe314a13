/**
 * Users (admins): create a user with a first role, grant or remove roles per path prefix,
 * disable an account. Roles: viewer (read), editor (create/update/delete), publisher (also roll
 * back), admin (on "/" only: users, roles, tokens, audit log).
 */
"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../lib/errors.ts";
import { useTRPC } from "../../lib/trpc.ts";

const ROLES = ["viewer", "editor", "publisher", "admin"] as const;
type Role = (typeof ROLES)[number];
const asRole = (v: string): Role => ROLES.find((r) => r === v) ?? "viewer";

export function UsersView() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.users.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const create = useMutation(trpc.users.create.mutationOptions({ onSuccess: refresh }));
  const setRole = useMutation(trpc.users.setRole.mutationOptions({ onSuccess: refresh }));
  const setDisabled = useMutation(trpc.users.setDisabled.mutationOptions({ onSuccess: refresh }));
  const [form, setForm] = useState({ username: "", password: "", pathPrefix: "/", role: "viewer" as Role });
  const [grant, setGrant] = useState<Record<number, { pathPrefix: string; role: Role }>>({});
  const error = create.error ?? setRole.error ?? setDisabled.error;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Users</h1>
          <p className="muted">Viewer reads · editor creates, edits and deletes · publisher also rolls back · admin manages users, roles, tokens and reads the audit log.</p>
        </div>
      </div>
      <form
        className="card form-row"
        data-testid="user-form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ username: form.username, password: form.password, roles: [{ pathPrefix: form.pathPrefix, role: form.role }] });
        }}
      >
        <input className="input" aria-label="New user name" placeholder="User name" value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} />
        <input className="input" type="password" aria-label="Initial password" placeholder="Initial password (8+)" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
        <input className="input" aria-label="Path prefix" value={form.pathPrefix} onChange={(e) => setForm({ ...form, pathPrefix: e.target.value })} />
        <select className="input" aria-label="Role" value={form.role} onChange={(e) => setForm({ ...form, role: asRole(e.target.value) })}>
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        <button type="submit" className="btn btn-primary" disabled={!form.username || !form.password || create.isPending}>
          Create user
        </button>
      </form>
      {error && <div className="panel-error" role="alert">{errorMessage(error)}</div>}
      {list.isError && <div className="panel-error" role="alert">{errorMessage(list.error)}</div>}
      {list.data && (
        <div className="table-scroll card">
          <table className="table table-stack" data-testid="users-table">
            <thead>
              <tr>
                <th>User</th>
                <th>Roles</th>
                <th>Grant</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.map((u) => {
                const g = grant[u.id] ?? { pathPrefix: "/", role: "viewer" as Role };
                return (
                  <tr key={u.id}>
                    <td>
                      {u.username}
                      {u.disabled && <span className="pill">disabled</span>}
                    </td>
                    <td>
                      {u.roles.map((r) => (
                        <span key={r.pathPrefix} className="pill">
                          {r.role} on {r.pathPrefix}{" "}
                          <button type="button" className="link-btn" aria-label={`Remove ${r.role} on ${r.pathPrefix}`} onClick={() => setRole.mutate({ userId: u.id, pathPrefix: r.pathPrefix, role: null })}>
                            ×
                          </button>
                        </span>
                      ))}
                    </td>
                    <td>
                      <input className="input input-small" aria-label={`Prefix for ${u.username}`} value={g.pathPrefix} onChange={(e) => setGrant({ ...grant, [u.id]: { ...g, pathPrefix: e.target.value } })} />
                      <select className="input input-small" aria-label={`Role for ${u.username}`} value={g.role} onChange={(e) => setGrant({ ...grant, [u.id]: { ...g, role: asRole(e.target.value) } })}>
                        {ROLES.map((r) => (
                          <option key={r}>{r}</option>
                        ))}
                      </select>
                      <button type="button" className="btn btn-small" onClick={() => setRole.mutate({ userId: u.id, ...g })}>
                        Grant
                      </button>
                    </td>
                    <td>
                      <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => setDisabled.mutate({ userId: u.id, disabled: !u.disabled })}>
                        {u.disabled ? "Enable" : "Disable"}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
