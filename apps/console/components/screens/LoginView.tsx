/**
 * Sign in. After a first sign-in with a one-time password the user is asked for a new one.
 * Errors are the server's words (wrong credentials, locked out for a while).
 */
"use client";
import { useMutation } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useState, type ReactNode } from "react";
import { safeNext } from "../../lib/session.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { FormError } from "../ErrorAlert.tsx";
import { Form, TextInput, useForm } from "../FormFields.tsx";
import { SubmitButton } from "../SubmitButton.tsx";
import "./screens.css";

export function LoginView() {
  const trpc = useTRPC();
  const params = useSearchParams();
  const next = safeNext(params.get("next"));
  const login = useMutation(trpc.auth.login.mutationOptions());
  const change = useMutation(trpc.auth.changePassword.mutationOptions());
  const { values: form, field } = useForm({ username: "", password: "" });
  const [mustChange, setMustChange] = useState(false);
  const { values: fresh, field: freshField } = useForm({ next: "", again: "" });

  if (mustChange) {
    const mismatch = fresh.again !== "" && fresh.next !== fresh.again;
    return (
      <LoginCard
        testId="change-password-form"
        title="Choose a new password"
        intro="You signed in with a one-time password. Pick your own (at least 8 characters)."
        onSubmit={() => {
          if (mismatch) return;
          change.mutate(
            { current: form.password, next: fresh.next },
            { onSuccess: () => window.location.assign(next) },
          );
        }}
      >
        <TextInput
          type="password"
          autoComplete="new-password"
          label="New password"
          placeholder="New password"
          autoFocus
          {...freshField("next")}
        />
        <TextInput
          type="password"
          autoComplete="new-password"
          label="Repeat new password"
          placeholder="Repeat new password"
          {...freshField("again")}
        />
        {mismatch && <p className="refused">The two passwords differ.</p>}
        <FormError error={change.error} />
        <SubmitButton
          label="Save and continue"
          pendingLabel="Saving…"
          pending={change.isPending}
          disabled={!fresh.next || mismatch}
        />
      </LoginCard>
    );
  }

  return (
    <LoginCard
      testId="login-form"
      title="Sign in to Conifer"
      intro={
        <>
          First start? Sign in as <code>admin</code> with the one-time password the server printed (or{" "}
          <code>CONIFER_ADMIN_PASSWORD</code>).
        </>
      }
      onSubmit={() =>
        login.mutate(form, {
          onSuccess: (r) => (r.mustChangePassword ? setMustChange(true) : window.location.assign(next)),
        })
      }
    >
      <TextInput autoComplete="username" label="User name" placeholder="User name" autoFocus {...field("username")} />
      <TextInput
        type="password"
        autoComplete="current-password"
        label="Password"
        placeholder="Password"
        {...field("password")}
      />
      <FormError error={login.error} testId="login-error" />
      <SubmitButton
        label="Sign in"
        pendingLabel="Signing in…"
        pending={login.isPending}
        disabled={!form.username || !form.password}
      />
    </LoginCard>
  );
}

/** The card in the middle of the page that both steps are. */
function LoginCard({
  testId,
  title,
  intro,
  onSubmit,
  children,
}: {
  testId: string;
  title: string;
  intro: ReactNode;
  onSubmit: () => void;
  children: ReactNode;
}) {
  return (
    <div className="login-page">
      <Form className="card login-card" testId={testId} onSubmit={onSubmit}>
        <h1>{title}</h1>
        <p className="muted">{intro}</p>
        {children}
      </Form>
    </div>
  );
}
