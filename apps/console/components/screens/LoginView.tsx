/**
 * Sign in. After a first sign-in with a one-time password the user is asked for a new one.
 * Errors are the server's words (wrong credentials, locked out for a while).
 */
"use client";
import { useMutation } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { errorMessage } from "../../lib/errors.ts";
import { safeNext } from "../../lib/session.ts";
import { useTRPC } from "../../lib/trpc.ts";
import "./screens.css";

export function LoginView() {
  const trpc = useTRPC();
  const params = useSearchParams();
  const next = safeNext(params.get("next"));
  const login = useMutation(trpc.auth.login.mutationOptions());
  const change = useMutation(trpc.auth.changePassword.mutationOptions());
  const [form, setForm] = useState({ username: "", password: "" });
  const [mustChange, setMustChange] = useState(false);
  const [fresh, setFresh] = useState({ next: "", again: "" });

  if (mustChange) {
    const mismatch = fresh.again !== "" && fresh.next !== fresh.again;
    return (
      <div className="login-page">
        <form
          className="card login-card"
          data-testid="change-password-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (mismatch) return;
            change.mutate(
              { current: form.password, next: fresh.next },
              { onSuccess: () => window.location.assign(next) },
            );
          }}
        >
          <h1>Choose a new password</h1>
          <p className="muted">You signed in with a one-time password. Pick your own (at least 8 characters).</p>
          <input
            className="input"
            type="password"
            autoComplete="new-password"
            aria-label="New password"
            placeholder="New password"
            value={fresh.next}
            onChange={(e) => setFresh({ ...fresh, next: e.target.value })}
            autoFocus
          />
          <input
            className="input"
            type="password"
            autoComplete="new-password"
            aria-label="Repeat new password"
            placeholder="Repeat new password"
            value={fresh.again}
            onChange={(e) => setFresh({ ...fresh, again: e.target.value })}
          />
          {mismatch && <p className="refused">The two passwords differ.</p>}
          {change.isError && (
            <p className="refused" role="alert">
              {errorMessage(change.error)}
            </p>
          )}
          <button type="submit" className="btn btn-primary" disabled={change.isPending || !fresh.next || mismatch}>
            {change.isPending ? "Saving…" : "Save and continue"}
          </button>
        </form>
      </div>
    );
  }

  return (
    <div className="login-page">
      <form
        className="card login-card"
        data-testid="login-form"
        onSubmit={(e) => {
          e.preventDefault();
          login.mutate(form, {
            onSuccess: (r) => (r.mustChangePassword ? setMustChange(true) : window.location.assign(next)),
          });
        }}
      >
        <h1>Sign in to Conifer</h1>
        <p className="muted">
          First start? Sign in as <code>admin</code> with the one-time password the server printed (or{" "}
          <code>CONIFER_ADMIN_PASSWORD</code>).
        </p>
        <input
          className="input"
          autoComplete="username"
          aria-label="User name"
          placeholder="User name"
          value={form.username}
          onChange={(e) => setForm({ ...form, username: e.target.value })}
          autoFocus
        />
        <input
          className="input"
          type="password"
          autoComplete="current-password"
          aria-label="Password"
          placeholder="Password"
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
        {login.isError && (
          <p className="refused" role="alert" data-testid="login-error">
            {errorMessage(login.error)}
          </p>
        )}
        <button
          type="submit"
          className="btn btn-primary"
          disabled={login.isPending || !form.username || !form.password}
        >
          {login.isPending ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </div>
  );
}
