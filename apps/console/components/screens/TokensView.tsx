/**
 * API tokens (admins): create one scoped to path prefixes, read-only or read-write — its secret
 * is shown once, right after creation — list them, revoke them (live SDK connections using a
 * revoked token are dropped by the server at once).
 */
"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { dateTime } from "../../lib/display.ts";
import { errorMessage } from "../../lib/errors.ts";
import { useTRPC } from "../../lib/trpc.ts";

export function TokensView() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.tokens.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() });
  const create = useMutation(trpc.tokens.create.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSuccess: refresh }));
  const [form, setForm] = useState({ name: "", prefixes: "/", access: "read" as "read" | "read-write" });
  const prefixes = form.prefixes.split(/[\s,]+/).filter(Boolean);
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>API tokens</h1>
          <p className="muted">For SDKs (<code>createClient({"{ url, token }"})</code>) and scripts (<code>Authorization: Bearer …</code>). Only a hash is stored: copy the token when it is shown.</p>
        </div>
      </div>
      <form
        className="card form-row"
        data-testid="token-form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ name: form.name, prefixes, access: form.access });
        }}
      >
        <input className="input" aria-label="Token name" placeholder="Name, e.g. payments-service" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        <input className="input" aria-label="Path prefixes" placeholder="Path prefixes, e.g. /payments /shared" value={form.prefixes} onChange={(e) => setForm({ ...form, prefixes: e.target.value })} />
        <select className="input" aria-label="Access" value={form.access} onChange={(e) => setForm({ ...form, access: e.target.value === "read-write" ? "read-write" : "read" })}>
          <option value="read">read-only</option>
          <option value="read-write">read-write</option>
        </select>
        <button type="submit" className="btn btn-primary" disabled={!form.name.trim() || prefixes.length === 0 || create.isPending}>
          Create token
        </button>
      </form>
      {create.isError && <div className="panel-error" role="alert">{errorMessage(create.error)}</div>}
      {create.data && (
        <div className="banner banner-ok" role="status" data-testid="new-token">
          <p>
            Token <strong>{create.data.record.name}</strong> — copy it now, it will not be shown again:
          </p>
          <code className="secret" data-testid="new-token-secret">{create.data.token}</code>
        </div>
      )}
      {list.isError && <div className="panel-error" role="alert">{errorMessage(list.error)}</div>}
      {list.data && (
        <div className="table-scroll card">
          <table className="table table-stack" data-testid="tokens-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Prefixes</th>
                <th>Access</th>
                <th>Created</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.map((t) => (
                <tr key={t.id} data-testid={`token-${t.id}`}>
                  <td>{t.name}</td>
                  <td>{t.prefixes.join(" ")}</td>
                  <td>{t.access}</td>
                  <td>
                    {dateTime(t.createdAt)} by {t.createdBy}
                  </td>
                  <td>{t.revokedAt ? `revoked ${dateTime(t.revokedAt)}` : "active"}</td>
                  <td>
                    {!t.revokedAt && (
                      <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => revoke.mutate({ id: t.id })} disabled={revoke.isPending}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
